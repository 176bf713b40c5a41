using Harbour.Cases.Disclosures;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Consumers;

// intake's answer to a disclosure: kept (its reference, and the receipt for the case manager to pass on) or refused (the
// problems, for the form to show beside its fields). Kept is final; a redelivered answer changes nothing.
public sealed class DisclosureAnswersConsumer(CasesDbContext db, Sealer sealer, TimeProvider clock, ILogger<DisclosureAnswersConsumer> log)
    : IConsumer<DisclosureAccepted>, IConsumer<DisclosureRefused>
{
    public async Task Consume(ConsumeContext<DisclosureAccepted> context)
    {
        var accepted = context.Message;
        var (receipt, now) = (accepted.Receipt is null ? null : sealer.Seal(accepted.Receipt), clock.GetUtcNow());
        // Kept stands over a refusal that came first (a redelivery checked again after the profile changed).
        var answered = await db.Disclosures.Where(d => d.Id == accepted.DisclosureId && d.Status != DisclosureStatuses.Accepted)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.Status, DisclosureStatuses.Accepted).SetProperty(d => d.Reference, accepted.Reference)
                .SetProperty(d => d.ReportId, accepted.ReportId).SetProperty(d => d.SealedReport, (string?)null)
                .SetProperty(d => d.SealedReceipt, receipt).SetProperty(d => d.AnsweredAt, now), context.CancellationToken);
        log.LogInformation(answered == 1 ? "Disclosure {DisclosureId} kept as {Reference}" : "Disclosure {DisclosureId} already answered", accepted.DisclosureId,
            accepted.Reference);
    }

    public async Task Consume(ConsumeContext<DisclosureRefused> context)
    {
        var refused = context.Message;
        var (problems, now) = (sealer.Seal(refused.Problems), clock.GetUtcNow());
        var answered = await db.Disclosures.Where(d => d.Id == refused.DisclosureId && d.Status == DisclosureStatuses.Pending)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.Status, DisclosureStatuses.Refused)
                .SetProperty(d => d.SealedProblems, problems).SetProperty(d => d.AnsweredAt, now), context.CancellationToken);
        log.LogInformation(answered == 1 ? "Disclosure {DisclosureId} refused by intake" : "Disclosure {DisclosureId} already answered", refused.DisclosureId);
    }
}
