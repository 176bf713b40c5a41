using System.Security.Claims;
using Harbour.Cases.Audit;
using Harbour.Contracts;
using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Casework;

// Reading cases, for the API and the pages alike.
public static class CaseReads
{
    // Every read is recorded, whether through the API or the pages.
    public static async Task<List<CaseSummary>> ListCasesAsync(this CasesDbContext db, ClaimsPrincipal user,
        TimeProvider clock, CancellationToken ct)
    {
        var cases = await db.VisibleCases(user).OrderByDescending(c => c.SubmittedAt).ToSummaries().ToListAsync(ct);
        db.AuditLog.Add(AuditEntry.By(user, "cases.listed", clock, detail: $"{cases.Count} cases"));
        await db.SaveChangesAsync(ct);
        return cases;
    }

    public static async Task<CaseView?> ViewCaseAsync(this CasesDbContext db, string reference, Sealer sealer,
        ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var found = await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct);
        if (found is null) return null;
        db.AuditLog.Add(AuditEntry.By(user, "case.viewed", clock, found.Id));
        await db.SaveChangesAsync(ct);
        var summary = found.ToSummary();
        var profile = await db.ProfileVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Version == found.ProfileVersion, ct);
        var plan = CasePlan.For(summary, found.ProfileVersion, profile?.Profile ?? DefaultProfile.Value);
        var messages = await db.Messages.AsNoTracking().Where(m => m.ReportId == found.ReportId).OrderBy(m => m.At).ToListAsync(ct);
        var evidence = await db.Evidence.Where(e => e.ReportId == found.ReportId).OrderBy(e => e.SubmittedAt)
            .Select(e => new EvidenceView(e.Id, e.FileName, e.ContentType, e.Size)).ToListAsync(ct);
        return new CaseView(summary, sealer.Open<ReportDetails>(found.SealedDetails), plan, messages.Select(m => m.Open(sealer)).ToList(), evidence);
    }
}
