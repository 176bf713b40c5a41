using Harbour.Analytics.Figures;
using Harbour.Contracts;
using MassTransit;

namespace Harbour.Analytics.Consumers;

// A case reopened: its earlier closure stops counting among outcomes until it closes again.
public sealed class CaseReopenedConsumer(AnalyticsDbContext db, Pseudonyms pseudonyms) : IConsumer<CaseReopened>
{
    public async Task Consume(ConsumeContext<CaseReopened> context)
    {
        var key = pseudonyms.Of(context.Message.ReportId);
        var at = context.Message.ReopenedAt;
        await db.KeepOnceAsync(pseudonyms, new ReopeningFact { CaseKey = key, ReopenedAt = at }, r => r.CaseKey == key && r.ReopenedAt == at,
            context.CancellationToken);
    }
}
