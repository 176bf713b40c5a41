using Harbour.Cases.Audit;
using Harbour.Cases.Cases;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Consumers;

// What a reporter adds to their case after the report (a message, a file): kept once, with an audit entry, on the
// case of the report. The report's own event may still be on its way: failing then retries until the case is open.
internal static class ReporterAdditions
{
    public static async Task KeepOnceAsync<T>(this CasesDbContext db, Guid id, Guid reportId, string reference, string action,
        Func<Case, T> toKeep, TimeProvider clock, ILogger log, CancellationToken ct, string? detail = null) where T : class
    {
        if (await db.Set<T>().AnyAsync(kept => EF.Property<Guid>(kept, "Id") == id, ct))
        {
            log.LogInformation("{Action} on {Reference} already kept; duplicate ignored", action, reference);
            return;
        }
        var found = await db.Cases.SingleOrDefaultAsync(c => c.ReportId == reportId, ct)
            ?? throw new InvalidOperationException($"No case yet for report {reference}.");
        db.Add(toKeep(found));
        db.AuditLog.Add(AuditEntry.By("reporter", action, clock, found.Id, detail));
        try
        {
            await db.SaveChangesAsync(ct);
            log.LogInformation("{Action} kept on case {Reference}", action, reference);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            log.LogInformation("{Action} on {Reference} was kept concurrently; duplicate ignored", action, reference);
        }
    }
}
