using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Cases.Audit;

// /cases/audit, for admins: the audit log per case, per person or overall, filtered; the chain verified on request; the
// entries shown exported as CSV. Looking at it, verifying it and exporting it are audited too.
[Authorize(Policy = StaffPolicies.Administration)]
public sealed class AuditLogModel(CasesDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Reference { get; set; }
    [BindProperty(SupportsGet = true)] public string? Actor { get; set; }
    [BindProperty(SupportsGet = true)] public string? Action { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }

    public List<AuditLine> Lines { get; private set; } = [];
    public bool More { get; private set; }
    // After "Verify": the entries whose link is broken (empty: the chain holds).
    public List<long>? Broken { get; private set; }

    AuditFilter Filter => new(Reference, Actor, Action, From, To);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var page = await db.Lines(Filter).Take(AuditTrail.PageSize + 1).ToListAsync(ct);
        (Lines, More) = (page.Take(AuditTrail.PageSize).ToList(), page.Count > AuditTrail.PageSize);
        await RecordAsync("audit.viewed", ct);
    }

    public async Task OnPostVerifyAsync(CancellationToken ct)
    {
        Broken = await db.BrokenLinksAsync(ct);
        await RecordAsync(Broken.Count == 0 ? "audit.verified" : "audit.verification-failed", ct, $"{Broken.Count} broken links");
        await OnGetAsync(ct);
    }

    public async Task<FileContentResult> OnGetCsvAsync(CancellationToken ct)
    {
        await RecordAsync("audit.exported", ct);
        return File(await db.Lines(Filter).CsvAsync(ct), "text/csv", $"harbour-audit-{clock.GetUtcNow().InUk():yyyy-MM-dd}.csv");
    }

    async Task RecordAsync(string what, CancellationToken ct, string? more = null)
    {
        var filter = string.Join(", ", new[] { Reference, Actor, Action, From?.ToString("yyyy-MM-dd"), To?.ToString("yyyy-MM-dd") }.Where(f => !string.IsNullOrWhiteSpace(f)));
        db.AuditLog.Add(AuditEntry.By(User, what, clock, detail: string.Join("; ", new[] { filter.Length > 0 ? $"filter {filter}" : null, more }.OfType<string>())));
        await db.SaveChangesAsync(ct);
    }
}
