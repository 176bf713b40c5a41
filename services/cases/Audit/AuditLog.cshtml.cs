using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Cases.Audit;

// /cases/audit, for admins: the audit log per case, per person or overall, filtered; the chain verified on request, and
// checked against an anchor taken out of the database (AuditAnchor); the entries shown exported as CSV. Looking at it,
// verifying it, checking it and exporting it are audited too.
[Authorize(Policy = StaffPolicies.Administration)]
[Authorize(Policy = Staff.StepUp.Policy)]
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

    // An anchor to check the log against, as the anchor email gives it: the entry's number and its SHA-256 (typed text kept).
    [BindProperty] public string? AnchorEntry { get; set; }
    [BindProperty] public string? AnchorHash { get; set; }
    public Casework.FieldProblem? Problem { get; private set; }
    // After "Check": what the check found, in words.
    public (AnchorFinding Finding, string Explained)? Anchor { get; private set; }

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

    public async Task OnPostAnchorAsync(CancellationToken ct)
    {
        var hash = string.Concat((AnchorHash ?? "").Where(c => !char.IsWhiteSpace(c)));
        if (!long.TryParse(AnchorEntry?.Trim().Replace(",", ""), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var entry) || entry < 1)
            Problem = new("anchor-entry", "Enter the entry number the anchor email gives, for example 4521");
        else if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit))
            Problem = new("anchor-hash", "Enter the hash the anchor email gives: 64 characters, 0 to 9 and a to f");
        else
        {
            var (finding, chainedAfter) = await AuditAnchor.CheckAsync(db, entry, hash, ct);
            Anchor = (finding, finding switch
            {
                AnchorFinding.Holds => $"Entry {entry} is in the log as it was anchored: worked out again from the entries themselves, nothing chained up to it has been changed or removed since. Verify the chain too, for the entries after it."
                    + (chainedAfter.Count == 0 ? "" : $" Entries {string.Join(", ", chainedAfter)} have lower numbers but joined the chain after it, so the anchor does not cover them. An entry written while the anchor was taken does that; one dated well before the anchor was added later, outside Harbour."),
                // Ids come from a sequence and are never used twice, so a log cut short shows as the anchored entry missing.
                AnchorFinding.Removed => $"There is no entry {entry} in the log. If that is the number the anchor email gives, the entry was removed, perhaps with the entries after it, which the chain alone does not show.",
                _ => $"Entry {entry}, or an entry before it, was changed after the anchor was taken (even if the chain was worked out again so that it verifies). Check the hash was copied whole.",
            });
            await RecordAsync(finding == AnchorFinding.Holds ? "audit.anchor-checked" : "audit.anchor-check-failed", ct,
                $"entry {entry}, hash {hash[..12].ToLowerInvariant()}…: {finding.ToString().ToLowerInvariant()}"
                + (chainedAfter.Count == 0 ? "" : $"; chained after it: {string.Join(", ", chainedAfter)}"));
        }
        if (Problem is not null) Response.StatusCode = StatusCodes.Status400BadRequest;
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
