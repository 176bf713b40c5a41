using System.Net;
using System.Text.RegularExpressions;
using Harbour.Contracts;
using Harbour.Notifications.Departments;
using Harbour.Notifications.Email;
using Harbour.ServiceDefaults.Security;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Notifications.Tests;

// A department alert against the real mail catcher: one email however often it is asked for, plain text and HTML, a link that
// acknowledges once, expires and cannot be forged; a reminder with a new link; and a failure announced rather than lost.
public sealed partial class DepartmentAlertTests(NotificationsFactory notifications) : IClassFixture<NotificationsFactory>
{
    static DepartmentAlertRequested Alert(string to, bool urgent = false) => new(Guid.CreateVersion7(), $"HR-2026-{Random.Shared.Next(100000, 999999)}",
        "Campus Security", to, "Northgate University: information for Campus Security about case X",
        TestMail.Sealer.Seal($"To Campus Security,\n\nA report concerns the Library, last Tuesday evening.\n\nPlease confirm:\n{DepartmentAlertRequested.LinkPlaceholder}\nThe link works once."),
        urgent, "Northgate University", TestMail.Sealer.Seal(SecretTokens.New()));

    [GeneratedRegex(@"http://localhost:8080/acknowledge/([A-Za-z0-9_-]{43})")]
    private static partial Regex LinkPattern();

    async Task<(CaughtMail Mail, string Token)> SentAsync(MailCatcher mail, string to, string subject)
    {
        var sent = await Eventually.GetAsync(() => mail.WithSubjectAsync(subject), m => m.Any(x => x.To.Contains(to)), "the alert email");
        var message = sent.Single(m => m.To.Contains(to));
        return (message, LinkPattern().Match(await mail.PlainTextAsync(message)).Groups[1].Value);
    }

    async Task<int> AcknowledgementsAsync(Guid alertId)
    {
        await using var scope = notifications.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var id = alertId.ToString();
        return (await db.Outbox.Where(m => m.Type == typeof(DepartmentAlertAcknowledged).FullName).Select(m => m.Payload).ToListAsync()).Count(p => p.Contains(id));
    }

    [Fact]
    public async Task WhenTheCaseIsDeletedAtTheEndOfItsRetentionItsAlertsLinksAndDeliveryLinesGo()
    {
        var mail = new MailCatcher(notifications.Servers.MailApi);
        var to = $"security-{Guid.NewGuid():N}@northgate.test";
        var alert = Alert(to);
        var other = Alert($"security-{Guid.NewGuid():N}@northgate.test");
        await notifications.PublishAsync(alert);
        await notifications.PublishAsync(other);
        await SentAsync(mail, to, alert.Subject);
        await using var scope = notifications.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        await Eventually.GetAsync(() => db.Deliveries.CountAsync(d => d.Key == $"department-alert/{alert.AlertId}" || d.Key == $"department-alert/{other.AlertId}"),
            n => n == 2, "both alerts logged");

        var deleted = new CaseDeleted(Guid.CreateVersion7(), alert.Reference, "named reports: 72 months from closure", DateTimeOffset.UtcNow);
        await notifications.PublishAsync(deleted);
        await notifications.PublishAsync(deleted);

        await Eventually.GetAsync(() => db.DepartmentAlerts.CountAsync(a => a.Reference == alert.Reference), n => n == 0, "the alert record to go");
        (await db.Deliveries.AnyAsync(d => d.Key == $"department-alert/{alert.AlertId}")).ShouldBeFalse("its delivery line goes");
        (await db.AcknowledgeLinks.AnyAsync(l => l.AlertId == alert.AlertId)).ShouldBeFalse("its link goes");
        (await db.DepartmentAlerts.AnyAsync(a => a.AlertId == other.AlertId)).ShouldBeTrue("another case's alert stays");
        (await db.Deliveries.AnyAsync(d => d.Key == $"department-alert/{other.AlertId}")).ShouldBeTrue();
    }

    [Fact]
    public async Task TheDepartmentGetsOneEmailInTextAndHtmlWhoseLinkAcknowledgesOnce()
    {
        var mail = new MailCatcher(notifications.Servers.MailApi);
        var to = $"security-{Guid.NewGuid():N}@northgate.test";
        var alert = Alert(to, urgent: true);
        var (ready, delivered) = notifications.Listen<NotificationDelivered>(d => d.NotificationId == alert.AlertId);
        await ready;

        await notifications.PublishAsync(alert);
        await notifications.PublishAsync(alert);

        (await delivered.WaitAsync(TimeSpan.FromSeconds(30))).Purpose.ShouldBe(NotificationPurposes.DepartmentAlert);
        var (message, token) = await SentAsync(mail, to, alert.Subject);
        await Task.Delay(TimeSpan.FromSeconds(2));
        (await mail.WithSubjectAsync(alert.Subject)).Count(m => m.To.Contains(to)).ShouldBe(1, "one email per alert, however often it is asked for");
        var text = await mail.PlainTextAsync(message);
        text.ShouldContain("A report concerns the Library, last Tuesday evening.");
        text.ShouldNotContain(DepartmentAlertRequested.LinkPlaceholder);
        token.ShouldBe(TestMail.Sealer.Open<string>(alert.SealedAcknowledgeToken), "the link carries the token cases made, so a retried send carries the same one");
        var html = await mail.HtmlAsync(message);
        html.ShouldContain($"<a href=\"http://localhost:8080/acknowledge/{token}\">");
        html.ShouldNotContain("<img", Case.Insensitive, "no tracking pixel, no remote content");
        var raw = await mail.RawAsync(message);
        raw.ShouldContain("X-Priority: 1");
        raw.ShouldContain("Reply-To: team@harbour.test");

        var department = notifications.CreateClient(new() { AllowAutoRedirect = false });
        var opened = await department.GetAsync($"/acknowledge/{token}");
        opened.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await opened.Content.ReadAsStringAsync()).ShouldContain("I have read the alert");
        opened.Headers.CacheControl!.NoStore.ShouldBeTrue();
        opened.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
        (await AcknowledgementsAsync(alert.AlertId)).ShouldBe(0, "opening the link (as a mail scanner does) acknowledges nothing");

        var (listening, acknowledged) = notifications.Listen<DepartmentAlertAcknowledged>(a => a.AlertId == alert.AlertId);
        await listening;
        var confirmed = await department.PostAsync($"/acknowledge/{token}", null);
        (await confirmed.Content.ReadAsStringAsync()).ShouldContain("Thank you: acknowledged");
        await acknowledged.WaitAsync(TimeSpan.FromSeconds(30));
        var again = await department.PostAsync($"/acknowledge/{token}", null);
        (await again.Content.ReadAsStringAsync()).ShouldContain("Already acknowledged");
        (await AcknowledgementsAsync(alert.AlertId)).ShouldBe(1, "a link acknowledges once");
    }

    [Fact]
    public async Task ALinkNotMadeByHarbourOrPastItsTimeAcknowledgesNothing()
    {
        var mail = new MailCatcher(notifications.Servers.MailApi);
        var to = $"estates-{Guid.NewGuid():N}@northgate.test";
        var alert = Alert(to);
        await notifications.PublishAsync(alert);
        var (_, token) = await SentAsync(mail, to, alert.Subject);
        var department = notifications.CreateClient(new() { AllowAutoRedirect = false });

        // Forged: a well-formed token Harbour never made, one character changed, or nonsense.
        var forged = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        foreach (var attempt in new[] { forged, Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + "abcdefghijklmnopqrs", "x", "not-a-token" })
        {
            var answer = await department.PostAsync($"/acknowledge/{attempt}", null);
            answer.StatusCode.ShouldBe(HttpStatusCode.NotFound, attempt);
            (await answer.Content.ReadAsStringAsync()).ShouldContain("This link is not valid");
        }

        await using (var scope = notifications.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
            await db.AcknowledgeLinks.Where(l => l.AlertId == alert.AlertId).ExecuteUpdateAsync(set => set.SetProperty(l => l.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }
        var expired = await department.PostAsync($"/acknowledge/{token}", null);
        expired.StatusCode.ShouldBe(HttpStatusCode.Gone);
        (await expired.Content.ReadAsStringAsync()).ShouldContain("This link has expired");
        (await AcknowledgementsAsync(alert.AlertId)).ShouldBe(0);
    }

    [Fact]
    public async Task ADepartmentThatHasNotAcknowledgedIsRemindedOnceWithANewLinkThatWorks()
    {
        var mail = new MailCatcher(notifications.Servers.MailApi);
        var to = $"faculty-{Guid.NewGuid():N}@northgate.test";
        var alert = Alert(to);
        await notifications.PublishAsync(alert);
        var (_, first) = await SentAsync(mail, to, alert.Subject);
        var overdue = new DepartmentAlertUnacknowledged(alert.AlertId, new DateOnly(2026, 12, 3), TestMail.Sealer.Seal(SecretTokens.New()));

        await notifications.PublishAsync(overdue);
        await notifications.PublishAsync(overdue);

        var subject = $"Reminder: please acknowledge the alert about case {alert.Reference}";
        var (reminder, second) = await SentAsync(mail, to, subject);
        await Task.Delay(TimeSpan.FromSeconds(2));
        (await mail.WithSubjectAsync(subject)).Count(m => m.To.Contains(to)).ShouldBe(1);
        var text = await mail.PlainTextAsync(reminder);
        text.ShouldContain("by 3 December 2026");
        text.ShouldNotContain("Library", Case.Sensitive, "a reminder names the case, never what it is about");
        second.ShouldNotBe(first);
        var department = notifications.CreateClient(new() { AllowAutoRedirect = false });
        (await (await department.PostAsync($"/acknowledge/{second}", null)).Content.ReadAsStringAsync()).ShouldContain("Thank you: acknowledged");
        (await (await department.GetAsync($"/acknowledge/{first}")).Content.ReadAsStringAsync()).ShouldContain("Already acknowledged");
    }

    // Only the department alert's own fault is published (the broker lets notifications publish no other): a reminder given up
    // on stays in its error queue and publishes no Fault<DepartmentAlertUnacknowledged>, which the broker would refuse, closing
    // the consumer's channel.
    [Fact]
    public async Task AReminderGivenUpOnWaitsInItsErrorQueueAndPublishesNoFault()
    {
        var mail = new MailCatcher(notifications.Servers.MailApi);
        var to = $"faculty-{Guid.NewGuid():N}@northgate.test";
        var alert = Alert(to);
        await notifications.PublishAsync(alert);
        await SentAsync(mail, to, alert.Subject);
        await using var broker = await new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(notifications.Settings["ConnectionStrings:messaging"]!) }.CreateConnectionAsync();
        var faults = await broker.TrapAsync("MassTransit:Fault--Harbour.Contracts:DepartmentAlertUnacknowledged--");
        const string errors = "notifications-department-alert-reminder_error";
        var before = await broker.CountAsync(errors);

        // Its link's secret sealed with a key notifications does not hold: it fails every time.
        await notifications.PublishAsync(new DepartmentAlertUnacknowledged(alert.AlertId, new DateOnly(2026, 12, 3), "v2.00000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));

        await Eventually.GetAsync(() => broker.CountAsync(errors), count => count > before, "the reminder in its error queue", seconds: 60);
        (await broker.CountAsync(faults)).ShouldBe(0u, "no fault published");
    }

    [Fact]
    public async Task AnAlertWithNoAddressFailsOutLoud()
    {
        var alert = Alert("");
        var (ready, failed) = notifications.Listen<NotificationFailed>(f => f.NotificationId == alert.AlertId);
        await ready;

        await notifications.PublishAsync(alert);

        (await failed.WaitAsync(TimeSpan.FromSeconds(30))).Reason.ShouldBe("Campus Security has no usable email address in the institution profile");
    }
}

// The mail server refuses every connection: once the retries are spent, the alert is announced as failed.
public sealed class UnreachableMailFactory : NotificationsFactory
{
    public UnreachableMailFactory()
    {
        Settings["ConnectionStrings:mail"] = "smtp://127.0.0.1:9?tls=none";
        Settings["Messaging:RetryLimit"] = "2";
    }
}

public sealed class DepartmentAlertFailureTests(UnreachableMailFactory notifications) : IClassFixture<UnreachableMailFactory>
{
    [Fact]
    public async Task AnAlertTheMailServerNeverTakesIsAnnouncedAsFailed()
    {
        var alert = new DepartmentAlertRequested(Guid.CreateVersion7(), "HR-2026-000777", "Campus Security", "security@northgate.test", "Subject",
            TestMail.Sealer.Seal($"Body {DepartmentAlertRequested.LinkPlaceholder}"), false, "Northgate University", TestMail.Sealer.Seal(SecretTokens.New()));
        var (ready, failed) = notifications.Listen<NotificationFailed>(f => f.NotificationId == alert.AlertId);
        await ready;

        await notifications.PublishAsync(alert);

        var failure = await failed.WaitAsync(TimeSpan.FromSeconds(60));
        failure.Purpose.ShouldBe(NotificationPurposes.DepartmentAlert);
        failure.Reason.ShouldBe("the email could not be sent, after several tries");
    }
}

// The real mail catcher, which offers no STARTTLS, named without ?tls=none: as a production server that stopped offering it
// (or a network that strips the offer) would be met.
public sealed class NoStartTlsMailFactory : NotificationsFactory
{
    public override async ValueTask InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        Settings["ConnectionStrings:mail"] = new UriBuilder(servers.Smtp) { Query = "" }.Uri.ToString();
        Settings["Messaging:RetryLimit"] = "2";
        await base.InitializeAsync();
    }
}

public sealed class StartTlsRequiredTests(NoStartTlsMailFactory notifications) : IClassFixture<NoStartTlsMailFactory>
{
    [Fact]
    public async Task WithoutStartTlsNothingIsSentInPlainText()
    {
        var alert = new DepartmentAlertRequested(Guid.CreateVersion7(), "HR-2026-000778", "Campus Security", "security@northgate.test",
            $"Plain text refused {Guid.NewGuid():N}", TestMail.Sealer.Seal($"Body {DepartmentAlertRequested.LinkPlaceholder}"), false, "Northgate University", TestMail.Sealer.Seal(SecretTokens.New()));
        var (ready, failed) = notifications.Listen<NotificationFailed>(f => f.NotificationId == alert.AlertId);
        await ready;

        await notifications.PublishAsync(alert);

        (await failed.WaitAsync(TimeSpan.FromSeconds(60))).Reason.ShouldBe("the email could not be sent, after several tries");
        (await new MailCatcher(notifications.Servers.MailApi).WithSubjectAsync(alert.Subject)).ShouldBeEmpty("the server took nothing over plain text");
        await using var scope = notifications.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().DeliveryFailures.Where(f => f.Subject == alert.Subject)
            .Select(f => f.Reason).Distinct().ToListAsync())
            .ShouldBe(["no secure connection to the mail server (see ConnectionStrings:mail)"], "the delivery log says why");
    }

    [Theory]
    [InlineData("smtp://relay.example:587", SecureSocketOptions.StartTls)]
    [InlineData("smtp://relay.example:587?tls=starttls", SecureSocketOptions.StartTls)]
    [InlineData("smtps://relay.example:465", SecureSocketOptions.SslOnConnect)]
    [InlineData("smtp://127.0.0.1:2525?tls=none", SecureSocketOptions.None)]
    public void TheConnectionIsSecuredAsConfigured(string server, SecureSocketOptions expected) =>
        EmailSender.SecurityOf(new Uri(server)).ShouldBe(expected);

    [Theory]
    [InlineData("smtp://harbour:secret@relay.example:25?tls=none")]
    [InlineData("smtp://relay.example:25?tls=maybe")]
    [InlineData("smtps://relay.example:465?tls=none")]
    [InlineData("http://relay.example:25")]
    public void APlainTextPasswordOrAnUnknownSettingIsRefused(string server) =>
        Should.Throw<InvalidOperationException>(() => EmailSender.SecurityOf(new Uri(server)));
}
