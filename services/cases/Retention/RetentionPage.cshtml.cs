using Harbour.Cases.Audit;
using Harbour.Cases.Profile;
using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Retention;

// /cases/retention, for admins: what the retention rules will delete in the coming weeks, what legal holds keep, and the
// deletion log (what was deleted, when, under which rule; no content). Looking at it is audited.
[Authorize(Policy = StaffPolicies.Administration)]
public sealed class RetentionPageModel(CasesDbContext db, TimeProvider clock) : PageModel
{
    // How far ahead the page looks for cases coming due.
    public const int DaysAhead = 90;
    const int Shown = 200;

    public sealed record Due(string Reference, DateOnly DueOn, string Rule);
    public sealed record Held(string Reference, DateTimeOffset Since, string By, DateOnly? WouldBeDueOn);

    public List<Due> Coming { get; private set; } = [];
    public List<Held> Holds { get; private set; } = [];
    public List<Deletion> Deleted { get; private set; } = [];
    public List<string> Rules { get; private set; } = [];
    public DateOnly Today { get; private set; }
    public int AuditDetailMonths { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var profile = (await db.CurrentProfileAsync(ct))?.Profile ?? DefaultProfile.Value;
        Today = UkTime.Today(clock);
        AuditDetailMonths = await RetentionSweep.AuditDetailMonthsAsync(db, ct);
        Rules = profile.Retention.Select(rule => RetentionSchedule.Describe(rule)).ToList();
        foreach (var rule in profile.Retention)
        {
            var described = RetentionSchedule.Describe(rule);
            var due = db.Cases.AsNoTracking().DueBy(rule, profile.Retention, Today.AddDays(DaysAhead));
            due = rule.AfterClosure ? due.OrderBy(c => c.ClosedAt) : due.OrderBy(c => c.SubmittedAt);
            foreach (var found in await due.Take(Shown).ToListAsync(ct))
                Coming.Add(new(found.Reference, RetentionSchedule.DueOn(found, profile.Retention)!.Value, described));
        }
        Coming = Coming.OrderBy(d => d.DueOn).ThenBy(d => d.Reference, StringComparer.Ordinal).Take(Shown).ToList();
        Holds = (await db.Cases.AsNoTracking().Where(c => c.LegalHoldSince != null).OrderBy(c => c.LegalHoldSince).Take(Shown).ToListAsync(ct))
            .Select(c => new Held(c.Reference, c.LegalHoldSince!.Value, c.LegalHoldBy ?? "", RetentionSchedule.DueOn(c, profile.Retention)))
            .ToList();
        Deleted = await db.Deletions.AsNoTracking().OrderByDescending(d => d.DeletedAt).Take(Shown).ToListAsync(ct);
        db.AuditLog.Add(AuditEntry.By(User, "retention.viewed", clock));
        await db.SaveChangesAsync(ct);
    }
}
