using Harbour.Cases.Casework;
using Harbour.Contracts;
using MassTransit;

namespace Harbour.Cases.Consumers;

public sealed class EvidenceSubmittedConsumer(CasesDbContext db, TimeProvider clock, ILogger<EvidenceSubmittedConsumer> log)
    : IConsumer<EvidenceSubmitted>
{
    public Task Consume(ConsumeContext<EvidenceSubmitted> context)
    {
        var evidence = context.Message;
        return db.KeepOnceAsync(evidence.EvidenceId, evidence.ReportId, evidence.Reference, "evidence.received",
            CaseEvidence.For(evidence), clock, log, context.CancellationToken, evidence.FileName);
    }
}
