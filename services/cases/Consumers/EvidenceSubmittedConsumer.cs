using Harbour.Cases.Audit;
using Harbour.Cases.Cases;
using Harbour.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Consumers;

public sealed class EvidenceSubmittedConsumer(CasesDbContext db, TimeProvider clock, ILogger<EvidenceSubmittedConsumer> log)
    : IConsumer<EvidenceSubmitted>
{
    public async Task Consume(ConsumeContext<EvidenceSubmitted> context)
    {
        var evidence = context.Message;
        if (await db.Evidence.AnyAsync(e => e.Id == evidence.EvidenceId, context.CancellationToken))
        {
            log.LogInformation("Evidence for {Reference} already kept; duplicate ignored", evidence.Reference);
            return;
        }
        // The report's own event may still be on its way: failing here retries until the case is open.
        var found = await db.Cases.SingleOrDefaultAsync(c => c.ReportId == evidence.ReportId, context.CancellationToken)
            ?? throw new InvalidOperationException($"No case yet for report {evidence.Reference}.");
        db.Evidence.Add(CaseEvidence.For(found, evidence));
        db.AuditLog.Add(AuditEntry.By("reporter", "evidence.received", clock, found.Id, evidence.FileName));
        try
        {
            await db.SaveChangesAsync(context.CancellationToken);
            log.LogInformation("Evidence {FileName} kept for case {Reference}", evidence.FileName, evidence.Reference);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            log.LogInformation("Evidence for {Reference} was kept concurrently; duplicate ignored", evidence.Reference);
        }
    }
}
