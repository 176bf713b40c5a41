using Harbour.Analytics.Figures;
using Harbour.Contracts;
using MassTransit;

namespace Harbour.Analytics.Consumers;

// A support service suggested to a reporter, kept once; and each later word of whether they took it up.
public sealed class ReferralsConsumer(AnalyticsDbContext db, Pseudonyms pseudonyms)
    : IConsumer<SupportSuggested>, IConsumer<ReferralUptakeRecorded>
{
    public async Task Consume(ConsumeContext<SupportSuggested> context)
    {
        var suggested = context.Message;
        var key = pseudonyms.Of(suggested.ReferralId);
        await db.KeepOnceAsync(pseudonyms, new ReferralFact
        {
            ReferralKey = key,
            CaseKey = pseudonyms.Of(suggested.ReportId),
            ServiceId = suggested.ServiceId,
            How = suggested.How,
            MadeOn = suggested.MadeOn,
        }, r => r.ReferralKey == key, context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<ReferralUptakeRecorded> context)
    {
        var recorded = context.Message;
        var key = pseudonyms.Of(recorded.ReferralId);
        await db.KeepOnceAsync(pseudonyms, new UptakeFact { ReferralKey = key, RecordedAt = recorded.RecordedAt, Uptake = recorded.Uptake, Helped = recorded.Helped },
            u => u.ReferralKey == key && u.RecordedAt == recorded.RecordedAt, context.CancellationToken);
    }
}
