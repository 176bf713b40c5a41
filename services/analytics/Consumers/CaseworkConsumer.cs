using Harbour.Analytics.Figures;
using Harbour.Contracts;
using Harbour.Profile;
using MassTransit;

namespace Harbour.Analytics.Consumers;

// What case managers did, each kept once: response deadlines missed, departments informed and their acknowledgements (which
// may arrive first: the figures join them when asked; both kept to the hour only), meetings recorded as held or missed.
public sealed class CaseworkConsumer(AnalyticsDbContext db, Pseudonyms pseudonyms)
    : IConsumer<DeadlineMissed>, IConsumer<DepartmentInformed>, IConsumer<DepartmentAlertAcknowledged>, IConsumer<MeetingRecorded>
{
    public async Task Consume(ConsumeContext<DeadlineMissed> context)
    {
        var missed = context.Message;
        var key = pseudonyms.Of(missed.ReportId);
        await db.KeepOnceAsync(pseudonyms, new BreachFact { CaseKey = key, Step = missed.Step, DueOn = missed.DueOn },
            b => b.CaseKey == key && b.Step == missed.Step && b.DueOn == missed.DueOn, context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<DepartmentInformed> context)
    {
        var informed = context.Message;
        var key = pseudonyms.Of(informed.AlertId);
        await db.KeepOnceAsync(pseudonyms, new AlertFact
        {
            AlertKey = key,
            CaseKey = pseudonyms.Of(informed.ReportId),
            DepartmentId = informed.DepartmentId,
            RequestedOn = DateOnly.FromDateTime(informed.RequestedAt.InUk().DateTime),
            RequestedAt = ToTheHour(informed.RequestedAt),
            AcknowledgeBy = informed.AcknowledgeBy,
        }, a => a.AlertKey == key, context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<DepartmentAlertAcknowledged> context)
    {
        var key = pseudonyms.Of(context.Message.AlertId);
        await db.KeepOnceAsync(pseudonyms, new AcknowledgementFact { AlertKey = key, AcknowledgedAt = ToTheHour(context.Message.AcknowledgedAt) },
            a => a.AlertKey == key, context.CancellationToken);
    }

    // Cut to the hour (UTC; the UK date is the same): the moment cases and notifications keep would match the row to its case.
    static DateTimeOffset ToTheHour(DateTimeOffset time) => new(time.UtcDateTime.Date.AddHours(time.UtcDateTime.Hour), TimeSpan.Zero);

    public async Task Consume(ConsumeContext<MeetingRecorded> context)
    {
        var recorded = context.Message;
        var key = pseudonyms.Of(recorded.MeetingId);
        await db.KeepOnceAsync(pseudonyms, new MeetingFact
        {
            MeetingKey = key,
            CaseKey = pseudonyms.Of(recorded.ReportId),
            Held = recorded.Held,
            Format = recorded.Format,
            HeldOn = DateOnly.FromDateTime(recorded.StartsAt.InUk().DateTime),
        }, m => m.MeetingKey == key, context.CancellationToken);
    }
}
