using System.Security.Claims;
using Harbour.Cases.Staff;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Casework;

// Somebody recorded as involved in a case (a conflict of interest): from then on they never see it, anywhere.
public sealed class CaseInvolvement
{
    public Guid CaseId { get; init; }
    public required string UserId { get; init; }
    public required string RecordedBy { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
}

// Which cases a person may see (OWASP ASVS 5.0 V8.2.2, per object): an Admin every case; a CaseManager the cases routed to
// one of their teams, cases routed to no team, and cases assigned to them; an Analyst none. Nobody sees a case they are recorded as involved in.
// Every read, change and download of a case goes through VisibleCases, so a case someone may not see answers exactly like
// a case that does not exist.
public static class NeedToKnow
{
    public static IQueryable<Case> VisibleCases(this CasesDbContext db, ClaimsPrincipal user)
    {
        var id = user.FindFirstValue("sub") ?? "";
        // NOT IN rather than NOT EXISTS: PostgreSQL hashes the person's few involvements once instead of looking for them case
        // by case, which halves counting the queue of 100,000 cases (docs/benchmarks.md).
        var cases = db.Cases.Where(c => !db.Involvements.Where(i => i.UserId == id).Select(i => i.CaseId).Contains(c.Id));
        if (user.IsInRole(StaffRoles.Admin)) return cases;
        if (!user.IsInRole(StaffRoles.CaseManager)) return cases.Where(_ => false);
        var teams = db.Users.Where(u => u.Id == id).Select(u => u.Teams);
        return cases.Where(c => c.Teams.Count == 0 || c.AssigneeId == id || teams.Any(t => t.Any(team => c.Teams.Contains(team))));
    }

    // Those responsible for a case, who alone may read its legal compartment and redact it: whoever has it, the leads of its
    // teams, and admins.
    public static async Task<bool> IsResponsibleForAsync(this CasesDbContext db, ClaimsPrincipal user, Case found, CancellationToken ct)
    {
        if (user.IsInRole(StaffRoles.Admin)) return true;
        var me = user.FindFirstValue("sub");
        if (found.AssigneeId == me) return true;
        return await db.Users.AnyAsync(u => u.Id == me && u.DisabledAt == null && u.TeamLead && u.Teams.Any(t => found.Teams.Contains(t)), ct);
    }

    // The teams a report's categories need, from the profile version it was made under: every specialism involved, the
    // most specialist first (the team that serves the fewest of the profile's categories; ties in the report's order).
    public static List<string> TeamsFor(this InstitutionProfile profile, IEnumerable<string> categories) =>
        categories.Select(id => profile.Categories.FirstOrDefault(c => c.Id == id)?.Specialism).OfType<string>().Distinct()
            .OrderBy(team => profile.Categories.Count(c => c.Specialism == team)).ToList();
}
