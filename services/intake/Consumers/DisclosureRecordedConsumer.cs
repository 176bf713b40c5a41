using System.Text.Json;
using Harbour.Contracts;
using Harbour.Intake.Reports;
using Harbour.Profile;
using Harbour.ServiceDefaults.Outbox;
using Harbour.ServiceDefaults.Security;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Intake.Consumers;

// A disclosure a case manager recorded becomes a report like any other: checked by the same rules as the report API, kept once
// (the disclosure's id is its submission id), with its channel; cases hears back the reference and the receipt, or each problem.
public sealed class DisclosureRecordedConsumer(IntakeDbContext db, InstitutionProfiles profiles, Sealer sealer, TimeProvider clock,
    ILogger<DisclosureRecordedConsumer> log) : IConsumer<DisclosureRecorded>
{
    public async Task Consume(ConsumeContext<DisclosureRecorded> context)
    {
        var disclosed = context.Message;
        var ct = context.CancellationToken;
        // Kept already (a redelivery): the same answer, not a second check against a profile that may have changed since.
        if (await db.Reports.Where(r => r.SubmissionId == disclosed.DisclosureId).Select(r => new { r.Id, r.Reference }).SingleOrDefaultAsync(ct) is { } kept)
        {
            db.Outbox.Add(OutboxMessage.For(new DisclosureAccepted(disclosed.DisclosureId, kept.Id, kept.Reference, null), clock, secret: true));
            await db.SaveChangesAsync(ct);
            return;
        }
        ReportRequest request;
        try
        {
            request = JsonSerializer.Deserialize<ReportRequest>(sealer.Open<JsonElement>(disclosed.SealedReport).GetRawText(), JsonSerializerOptions.Web)
                ?? new ReportRequest();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // As the report API answers a body of the wrong shape: the field named, nothing kept.
            var field = ex is JsonException { Path: { Length: > 2 } path } ? path.TrimStart('$', '.') : "report";
            await RefuseAsync(disclosed, new() { [field] = ["Give this field as the report API takes it (text, or a list of codes)."] }, ct);
            return;
        }
        request.SubmissionId = disclosed.DisclosureId.ToString();
        var profile = await profiles.CurrentAsync(ct);
        var problems = request.Validate(UkTime.Today(clock), profile.Profile);
        if (!ReportChannels.ByStaff.Has(disclosed.Channel)) problems["channel"] = ["Say how the report was made: by phone, by email or in person."];
        if (problems.Count > 0)
        {
            await RefuseAsync(disclosed, problems, ct);
            return;
        }
        var (submitted, _) = await db.SubmitAsync(request, profile.Version, disclosed.Channel, sealer, clock, log, ct);
        var reportId = await db.Reports.Where(r => r.SubmissionId == disclosed.DisclosureId).Select(r => r.Id).SingleAsync(ct);
        // The receipt travels to the case manager, once: the row keeps no copy once the broker has it. Kept before (a redelivery),
        // the report's receipt cannot be shown again.
        db.Outbox.Add(OutboxMessage.For(new DisclosureAccepted(disclosed.DisclosureId, reportId, submitted.Reference, submitted.Receipt), clock, secret: true));
        await db.SaveChangesAsync(ct);
    }

    async Task RefuseAsync(DisclosureRecorded disclosed, Dictionary<string, string[]> problems, CancellationToken ct)
    {
        log.LogInformation("Disclosure {DisclosureId} refused: {Fields}", disclosed.DisclosureId, string.Join(", ", problems.Keys));
        db.Outbox.Add(OutboxMessage.For(new DisclosureRefused(disclosed.DisclosureId, problems), clock));
        await db.SaveChangesAsync(ct);
    }
}
