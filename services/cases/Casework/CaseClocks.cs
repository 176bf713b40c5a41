using Harbour.Contracts;
using Harbour.Profile;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Casework;

// A case's clocks (CaseStep) come from the profile version it was opened under; a case opened before clocks existed gets
// them the first time someone works on it.
public static class CaseClocks
{
    public static async Task<InstitutionProfile> ProfileOfAsync(this CasesDbContext db, Case c, CancellationToken ct) =>
        (await db.ProfileVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Version == c.ProfileVersion, ct))?.Profile ?? DefaultProfile.Value;

    public static async Task EnsureStepsAsync(this CasesDbContext db, Case c, CancellationToken ct)
    {
        if (db.Steps.Local.Any(s => s.CaseId == c.Id) || await db.Steps.AnyAsync(s => s.CaseId == c.Id, ct)) return;
        var steps = CaseStep.For(c, await db.ProfileOfAsync(c, ct)).ToList();
        db.Steps.AddRange(steps);
        c.TrackSteps(steps);
    }

    // After a clock changed: the case's next step again, from all its clocks (those in the database and those not saved yet).
    public static async Task TrackStepsAsync(this CasesDbContext db, Case c, CancellationToken ct)
    {
        await db.Steps.Where(s => s.CaseId == c.Id).LoadAsync(ct);
        c.TrackSteps(db.Steps.Local);
    }
}
