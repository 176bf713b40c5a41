using Harbour.Cases.Audit;
using Harbour.ServiceDefaults.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Consumers;

// What a reporter adds to their report after sending it (a message, a file): kept once, by its own id, under the report's
// id, with an audit entry. It never waits for the case: if the report's own event is still on its way (cases was down,
// a backlog is draining), the addition is kept now and shows on the case when it opens. One arriving after the case was
// deleted at the end of its retention period is dropped.
internal static class ReporterAdditions
{
    public static async Task KeepOnceAsync<T>(this CasesDbContext db, Guid id, Guid reportId, string reference, string action,
        T addition, TimeProvider clock, ILogger log, CancellationToken ct, string? detail = null, OutboxMessage? tell = null) where T : class
    {
        if (await db.Set<T>().AnyAsync(kept => EF.Property<Guid>(kept, "Id") == id, ct))
        {
            log.LogInformation("{Action} on {Reference} already kept; duplicate ignored", action, reference);
            return;
        }
        if (await db.Deletions.AnyAsync(d => d.Reference == reference, ct))
        {
            log.LogInformation("{Action} on {Reference} arrived after the case was deleted at the end of its retention period; dropped", action, reference);
            return;
        }
        var caseId = await db.Cases.Where(c => c.ReportId == reportId).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(ct);
        db.Add(addition);
        if (tell is not null) db.Outbox.Add(tell);
        db.AuditLog.Add(AuditEntry.By("reporter", action, clock, caseId, caseId is null ? $"{reference}, before its case opened; {detail}" : detail));
        try
        {
            await db.SaveChangesAsync(ct);
            log.LogInformation("{Action} kept for {Reference}{Early}", action, reference, caseId is null ? " before its case opened" : "");
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            log.LogInformation("{Action} on {Reference} was kept concurrently; duplicate ignored", action, reference);
        }
    }
}
