using System.Text.Json;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Intake.Tests;

// A disclosure recorded by a case manager is checked like any report, kept once with its channel, and answered.
public sealed class DisclosureTests(IntakeFactory intake) : IClassFixture<IntakeFactory>
{
    DisclosureRecorded Disclosed(object report, string channel = "phone") => new(Guid.CreateVersion7(), channel,
        intake.Services.GetRequiredService<Sealer>().Seal(JsonSerializer.SerializeToElement(report, JsonSerializerOptions.Web)), DateTimeOffset.UtcNow);

    [Fact]
    public async Task ADisclosureIsKeptOnceWithItsChannelAndItsReceiptGoesBackOnce()
    {
        var disclosed = Disclosed(new { kind = "anonymous", categories = new[] { "race" }, description = "Told me at the desk.", location = "online",
            occurredWhen = "this morning", reporterRole = "visitor" }, "in-person");
        var (ready, accepted) = intake.Listen<DisclosureAccepted>(a => a.DisclosureId == disclosed.DisclosureId);
        var (submittedReady, submitted) = intake.Listen<ReportSubmitted>(r => r.Channel == "in-person");
        await Task.WhenAll(ready, submittedReady);

        await intake.PublishAsync(disclosed);

        var answer = await accepted.WaitAsync(TimeSpan.FromSeconds(30));
        answer.Receipt.ShouldNotBeNullOrWhiteSpace();
        var report = await submitted.WaitAsync(TimeSpan.FromSeconds(30));
        (report.ReportId, report.Reference, report.Kind).ShouldBe((answer.ReportId, answer.Reference, "anonymous"));
        var (again, second) = intake.Listen<DisclosureAccepted>(a => a.DisclosureId == disclosed.DisclosureId);
        await again;
        await intake.PublishAsync(disclosed);
        var repeated = await second.WaitAsync(TimeSpan.FromSeconds(30));
        (repeated.Reference, repeated.Receipt).ShouldBe((answer.Reference, null), "kept once; its receipt is not made twice");
    }

    [Fact]
    public async Task ADisclosureMissingWhatEveryReportNeedsIsRefusedFieldByField()
    {
        var disclosed = Disclosed(new { kind = "named", categories = new[] { "race" }, description = "", location = "the moon", reporterRole = "student" });
        var (ready, refused) = intake.Listen<DisclosureRefused>(r => r.DisclosureId == disclosed.DisclosureId);
        await ready;

        await intake.PublishAsync(disclosed);

        var problems = (await refused.WaitAsync(TimeSpan.FromSeconds(30))).Problems;
        problems.Keys.ShouldBe(["description", "location", "occurredOn", "contactName", "contactEmail", "consentToContact"], ignoreOrder: true);
    }
}
