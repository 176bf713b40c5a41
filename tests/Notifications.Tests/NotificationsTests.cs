using Harbour.Contracts;
using Harbour.Profile;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Notifications.Tests;

public class NotificationsFactory : ServiceFactory<Program>
{
    public NotificationsFactory() : base("notificationsdb")
    {
        Settings["Notifications:TeamAddress"] = "team@harbour.test";
        Settings["Notifications:AuditAnchorTo"] = "dpo@harbour.test; records@harbour.test";
    }

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder) => base.ConfigureWebHost(builder.TrustTestStaffTokens());

    // A browser of a staff member of one role (cookies kept, redirects not followed).
    public HttpClient SignedIn(string role, Guid? session = null) =>
        Services.AsRole(CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true }), role, session);
}

public sealed class ReportSubmittedEmailTests(NotificationsFactory notifications) : IClassFixture<NotificationsFactory>
{
    [Fact]
    public async Task TheTeamIsEmailedOnceWithTheReferenceCategoriesAndALinkButNoNarrative()
    {
        var mail = new MailCatcher(notifications.Servers.MailApi);
        var bus = notifications.Services.GetRequiredService<IBus>();
        var report = Reports.Submitted("v1.SEALED-NARRATIVE", "race", "religion");
        var before = notifications.Consumed.Consumed;

        await bus.Publish(report);
        var sent = await Eventually.GetAsync(() => mail.WithSubjectAsync(report.Reference), m => m.Count > 0, "the team email");
        await bus.Publish(report);
        await notifications.Consumed.WaitForAsync(before + 2, "the duplicate to be consumed");

        (await mail.WithSubjectAsync(report.Reference)).Count.ShouldBe(1);
        sent[0].To.ShouldBe(["team@harbour.test"]);
        var body = await mail.PlainTextAsync(sent[0]);
        body.ShouldContain(report.Reference);
        body.ShouldContain("Categories: Race, Religion or faith");
        body.ShouldContain("Specialism: Equality and inclusion, Faith and belief");
        // Sent on a Saturday: the working days start on Monday.
        body.ShouldContain("Due:        Triage by Monday 16 March 2026; First contact by Friday 20 March 2026");
        body.ShouldContain("Made:       Anonymously");
        body.ShouldNotContain("Library");
        body.ShouldContain($"http://localhost:8080/cases/{report.Reference}");
        body.ShouldNotContain("SEALED-NARRATIVE");
    }

    [Fact]
    public async Task TheEmailPlansAReportUnderTheProfileVersionItWasMadeUnder()
    {
        var mail = new MailCatcher(notifications.Servers.MailApi);
        var bus = notifications.Services.GetRequiredService<IBus>();
        var renamed = DefaultProfile.Value with
        {
            Categories = [.. DefaultProfile.Value.Categories.Where(c => c.Id != "stalking"),
                new Category { Id = "stalking", Name = "Stalking or being followed", Specialism = "Personal safety" }],
            Deadlines = [new Deadline { Step = "triage", WorkingDays = 3 }],
        };
        await bus.Publish(new InstitutionProfilePublished(7, DateTimeOffset.UtcNow, renamed));
        await using var scope = notifications.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        await Eventually.GetAsync(() => db.Set<ProfileSnapshot>().AnyAsync(s => s.Version == 7), held => held, "the profile to be held");
        var underSeven = Reports.Submitted("v1.sealed", "stalking") with { SubmittedAt = new DateTimeOffset(2026, 7, 1, 9, 30, 0, TimeSpan.Zero), ProfileVersion = 7 };
        // Made by intake before version 7 reached it: the newer version held here must not change what the team is told.
        var underOne = Reports.Submitted("v1.sealed", "stalking") with { SubmittedAt = new DateTimeOffset(2026, 7, 1, 9, 30, 0, TimeSpan.Zero), ProfileVersion = 1 };

        await bus.Publish(underSeven);
        await bus.Publish(underOne);

        var seven = await mail.PlainTextAsync((await Eventually.GetAsync(() => mail.WithSubjectAsync(underSeven.Reference), m => m.Count > 0, "the team email"))[0]);
        seven.ShouldContain("Categories: Stalking or being followed");
        seven.ShouldContain("Specialism: Personal safety");
        seven.ShouldContain("Received:   1 July 2026 10:30 UK time");
        seven.ShouldContain("Due:        Triage by Monday 6 July 2026");
        seven.ShouldNotContain("First contact");
        var one = await mail.PlainTextAsync((await Eventually.GetAsync(() => mail.WithSubjectAsync(underOne.Reference), m => m.Count > 0, "the team email"))[0]);
        one.ShouldContain("Categories: Stalking");
        one.ShouldNotContain("Stalking or being followed");
        one.ShouldContain("Specialism: Sexual violence and abuse");
        one.ShouldContain("Due:        Triage by Thursday 2 July 2026; First contact by Wednesday 8 July 2026");
    }

    [Fact]
    public async Task AReportThatOvertakesItsProfileVersionIsEmailedOnceTheVersionArrives()
    {
        var mail = new MailCatcher(notifications.Servers.MailApi);
        var bus = notifications.Services.GetRequiredService<IBus>();
        var report = Reports.Submitted("v1.sealed", "stalking") with { ProfileVersion = 9 };

        // After an outage two queues drain side by side: the report comes before the version it was made under.
        await bus.Publish(report);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await bus.Publish(new InstitutionProfilePublished(9, DateTimeOffset.UtcNow, DefaultProfile.Value with
        {
            Categories = [.. DefaultProfile.Value.Categories.Where(c => c.Id != "stalking"),
                new Category { Id = "stalking", Name = "Stalking or being watched", Specialism = "Personal safety" }],
        }));

        var sent = await Eventually.GetAsync(() => mail.WithSubjectAsync(report.Reference), m => m.Count > 0, "the team email");
        (await mail.PlainTextAsync(sent[0])).ShouldContain("Categories: Stalking or being watched");
    }

    [Fact]
    public async Task AnInvitationIsEmailedOnceWithItsLink()
    {
        var mail = new MailCatcher(notifications.Servers.MailApi);
        var bus = notifications.Services.GetRequiredService<IBus>();
        var email = $"new-{Guid.NewGuid():N}@harbour.test";
        var invited = new StaffInvited(Guid.NewGuid(), email, "New Colleague", TestMail.Sealer.Seal("SECRET-LINK-TOKEN"), new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));

        await bus.Publish(invited);
        await bus.Publish(invited);

        var sent = await Eventually.GetAsync(() => mail.WithSubjectAsync("Your invitation to Harbour"), m => m.Any(x => x.To.Contains(email)), "the invitation");
        await Task.Delay(TimeSpan.FromSeconds(2));
        (await mail.WithSubjectAsync("Your invitation to Harbour")).Count(m => m.To.Contains(email)).ShouldBe(1);
        var body = await mail.PlainTextAsync(sent.First(m => m.To.Contains(email)));
        body.ShouldContain("http://localhost:8080/cases/invitation/SECRET-LINK-TOKEN");
        body.ShouldContain("until 7 December 2026 12:00 UK time");
    }

    [Fact]
    public async Task APassphraseResetLinkIsEmailedOnceToTheAccount()
    {
        var mail = new MailCatcher(notifications.Servers.MailApi);
        var bus = notifications.Services.GetRequiredService<IBus>();
        var email = $"forgetful-{Guid.NewGuid():N}@harbour.test";
        var requested = new StaffPassphraseResetRequested(Guid.CreateVersion7(), email, "Forgetful Fran", TestMail.Sealer.Seal("SECRET-RESET-TOKEN"),
            new DateTimeOffset(2026, 7, 1, 9, 30, 0, TimeSpan.Zero));

        await bus.Publish(requested);
        await bus.Publish(requested);

        const string subject = "Choose a new Harbour passphrase";
        var sent = await Eventually.GetAsync(() => mail.WithSubjectAsync(subject), m => m.Any(x => x.To.Contains(email)), "the link");
        await Task.Delay(TimeSpan.FromSeconds(2));
        (await mail.WithSubjectAsync(subject)).Count(m => m.To.Contains(email)).ShouldBe(1);
        var body = await mail.PlainTextAsync(sent.First(m => m.To.Contains(email)));
        body.ShouldContain("Hello Forgetful Fran");
        body.ShouldContain("http://localhost:8080/cases/passphrase/reset/SECRET-RESET-TOKEN");
        body.ShouldContain("until 1 July 2026 10:30 UK time", customMessage: "British Summer Time");
        body.ShouldContain("You will still need your authenticator app");
    }

    [Fact]
    public async Task TheAuditLogsAnchorIsEmailedOnceToEachDataProtectionAddressWithItsEntryAndHash()
    {
        var mail = new MailCatcher(notifications.Servers.MailApi);
        var bus = notifications.Services.GetRequiredService<IBus>();
        var entry = Random.Shared.NextInt64(1_000_000, 9_000_000);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(entry)));
        var anchor = new AuditChainAnchored(Guid.CreateVersion7(), entry, hash, new DateTimeOffset(2026, 7, 1, 4, 59, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 7, 1, 5, 0, 0, TimeSpan.Zero), ChainHolds: false);

        await bus.Publish(anchor);
        await bus.Publish(anchor);

        const string subject = "Harbour audit log anchor, 1 July 2026";
        async Task<List<(string To, string Text)>> ThisAnchorsAsync() => [.. (await Task.WhenAll((await mail.WithSubjectAsync(subject)).Select(async m =>
            (To: string.Join(",", m.To), Text: await mail.PlainTextAsync(m))))).Where(m => m.Text.Contains(hash))];
        await Eventually.GetAsync(ThisAnchorsAsync, sent => sent.Count >= 2, "the anchor to both addresses");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var sent = await ThisAnchorsAsync();
        sent.Count.ShouldBe(2, "once to each address, however often it is delivered");
        sent.ShouldContain(m => m.To.Contains("records@harbour.test"));
        var text = sent.Single(m => m.To.Contains("dpo@harbour.test")).Text;
        text.ShouldContain($"Newest entry: {entry}");
        text.ShouldContain("Written:      1 July 2026 05:59 UK time", customMessage: "the entry's time as the UK clock showed it (summer time)");
        text.ShouldContain("http://localhost:8080/cases/audit");
        text.ShouldContain("WARNING: the log's chain did not hold when this was taken", customMessage: "an anchor of a log already broken says so");
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ; ")]
    [InlineData("dpo@harbour.test, not an address")]
    public void AnAnchorAddressThatCannotBeEmailedStopsTheStart(string setting) =>
        Should.Throw<InvalidOperationException>(() => Harbour.Notifications.Email.EmailRegistration.AnchorRecipients(setting))
            .Message.ShouldContain("Notifications:AuditAnchorTo");

    [Fact]
    public void AnchorAddressesAreSeparatedByCommasOrSemicolons() =>
        Harbour.Notifications.Email.EmailRegistration.AnchorRecipients(" dpo@harbour.test; records@harbour.test,third@harbour.test ")
            .ShouldBe(["dpo@harbour.test", "records@harbour.test", "third@harbour.test"]);

    [Fact]
    public async Task APassedDeadlineIsEmailedOnceToEachPersonResponsibleWithNoCaseContent()
    {
        var mail = new MailCatcher(notifications.Servers.MailApi);
        var bus = notifications.Services.GetRequiredService<IBus>();
        var (assignee, lead) = ($"assignee-{Guid.NewGuid():N}@harbour.test", $"lead-{Guid.NewGuid():N}@harbour.test");
        var breach = new SlaBreached(Guid.NewGuid(), "HR-2026-424242", "first-contact", new DateOnly(2026, 3, 20),
            [new Recipient(assignee, "Sam Assignee"), new Recipient(lead, "Lee Lead")]);

        await bus.Publish(breach);
        await bus.Publish(breach);

        var subject = "Deadline passed: First contact on case HR-2026-424242";
        var sent = await Eventually.GetAsync(() => mail.WithSubjectAsync(subject), m => m.Any(x => x.To.Contains(assignee)) && m.Any(x => x.To.Contains(lead)),
            "both emails");
        await Task.Delay(TimeSpan.FromSeconds(2));
        (await mail.WithSubjectAsync(subject)).Count(m => m.To.Contains(assignee) || m.To.Contains(lead)).ShouldBe(2);
        var body = await mail.PlainTextAsync(sent.First(m => m.To.Contains(assignee)));
        body.ShouldContain("first contact was due by Friday 20 March 2026");
        body.ShouldContain("http://localhost:8080/cases/HR-2026-424242");
    }

    [Fact]
    public async Task TheAssigneeHearsOnceThatAMessageWaitsButNotWhatItSays()
    {
        var mail = new MailCatcher(notifications.Servers.MailApi);
        var bus = notifications.Services.GetRequiredService<IBus>();
        var assignee = $"assignee-{Guid.NewGuid():N}@harbour.test";
        var waiting = new ReporterMessageWaiting(Guid.NewGuid(), "HR-2026-515151", new Recipient(assignee, "Sam Assignee"));

        await bus.Publish(waiting);
        await bus.Publish(waiting);

        var subject = "A message is waiting on case HR-2026-515151";
        var sent = await Eventually.GetAsync(() => mail.WithSubjectAsync(subject), m => m.Any(x => x.To.Contains(assignee)), "the email");
        await Task.Delay(TimeSpan.FromSeconds(2));
        (await mail.WithSubjectAsync(subject)).Count(m => m.To.Contains(assignee)).ShouldBe(1);
        (await mail.PlainTextAsync(sent.First(m => m.To.Contains(assignee)))).ShouldContain("http://localhost:8080/cases/HR-2026-515151#conversation");
    }
}

public sealed class ReporterMessageReadyTests(NotificationsFactory notifications) : IClassFixture<NotificationsFactory>
{
    [Fact]
    public async Task AReporterHearsOnceThatAMessageWaitsWithNothingOfItOrTheCase()
    {
        var mail = new MailCatcher(notifications.Servers.MailApi);
        var reporter = $"ana-{Guid.NewGuid():N}@student.test";
        var ready = new ReporterMessageReady(Guid.NewGuid(), TestMail.Sealer.Seal(new Recipient(reporter, "Ana")), "University of Northgate");

        await notifications.PublishAsync(ready);
        await notifications.PublishAsync(ready);

        var sent = await Eventually.GetAsync(async () => (await mail.WithSubjectAsync("A new message from University of Northgate")).Where(m => m.To.Contains(reporter)).ToList(),
            m => m.Count > 0, "the email");
        await Task.Delay(TimeSpan.FromSeconds(2));
        (await mail.WithSubjectAsync("A new message from University of Northgate")).Count(m => m.To.Contains(reporter)).ShouldBe(1);
        var body = await mail.PlainTextAsync(sent[0]);
        body.ShouldContain("http://localhost:8080/follow-up");
        body.ShouldNotContain("HR-", Case.Sensitive);
    }
}
