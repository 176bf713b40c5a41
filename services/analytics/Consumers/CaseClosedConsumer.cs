using Harbour.Analytics.Figures;
using Harbour.Contracts;
using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using MassTransit;

namespace Harbour.Analytics.Consumers;

// A case closed: its outcome, each response step's timing against its due date, and the learning summary, kept once.
// The summary crosses the broker sealed with the learning key; analytics keeps it in clear, as the steering group reads it.
public sealed class CaseClosedConsumer(AnalyticsDbContext db, Pseudonyms pseudonyms, [FromKeyedServices(Sealer.Learning)] Sealer learning,
    ILogger<CaseClosedConsumer> log) : IConsumer<CaseClosed>
{
    public async Task Consume(ConsumeContext<CaseClosed> context)
    {
        var closed = context.Message;
        var summary = closed.SealedLearningSummary is { } sealedSummary ? learning.Open<string>(sealedSummary) : closed.LearningSummary;
        var key = pseudonyms.Of(closed.ClosureId);
        var fact = new ClosureFact
        {
            ClosureKey = key,
            CaseKey = pseudonyms.Of(closed.ReportId),
            SubmittedOn = DateOnly.FromDateTime(closed.SubmittedAt.InUk().DateTime),
            ClosedOn = DateOnly.FromDateTime(closed.ClosedAt.InUk().DateTime),
            ClosedAt = closed.ClosedAt,
            Outcome = closed.Outcome,
            Kind = closed.Kind,
            Categories = [.. closed.Categories.Distinct()],
            Location = closed.Location,
            LearningSummary = string.IsNullOrWhiteSpace(summary) ? null : summary.Trim(),
            Tags = [.. closed.Tags.Distinct()],
            Steps = [.. closed.StepsMet.DistinctBy(s => s.Step).Select(s => new StepFact
            {
                ClosureKey = key,
                Step = s.Step,
                SubmittedOn = DateOnly.FromDateTime(closed.SubmittedAt.InUk().DateTime),
                MetInTime = s.MetAt is { } met && DateOnly.FromDateTime(met.InUk().DateTime) <= s.DueOn,
                Days = s.MetAt is { } at ? Math.Max(0, (at - closed.SubmittedAt).TotalDays) : null,
            })],
        };
        if (!await db.KeepOnceAsync(pseudonyms, fact, c => c.ClosureKey == key, context.CancellationToken))
            log.LogInformation("Closure {ClosureId} already counted; duplicate ignored", closed.ClosureId);
    }
}
