using Harbour.Notifications.Email;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harbour.Notifications.Tests;

// Emails share SMTP connections (Email/EmailSender.cs, SmtpConnections): a burst goes in one SMTP session rather than one
// session each; a kept connection cut meanwhile (by the network, or a server that closed it) is replaced at once and the
// email still goes. Through a relay in front of the real mail catcher, so that the test can cut the connection.
public sealed class EmailConnectionTests
{
    [Fact]
    public async Task ABurstOfEmailsGoesInOneSessionAndACutConnectionIsReplaced()
    {
        var servers = await TestServers.GetAsync();
        using var gate = new TcpGate(servers.Smtp, open: true);
        var settings = new EmailSettings(new UriBuilder(servers.Smtp) { Port = gate.Port }.Uri, "Harbour <harbour@harbour.test>", "team@harbour.test",
            new Uri("http://localhost"));
        using var sender = new EmailSender(settings, NullLogger<EmailSender>.Instance);
        var run = Guid.NewGuid().ToString("N")[..10];
        var since = DateTimeOffset.UtcNow.AddSeconds(-5);
        OutgoingEmail Email(string n) => new($"test/{run}-{n}", $"burst-{run}-{n}@harbour.test", $"Burst {run} {n}", "Hello.");

        for (var i = 0; i < 5; i++) await sender.SendAsync(Email($"{i}"), TestContext.Current.CancellationToken);
        // The kept connection is cut: the relay drops it, as a server that closed an idle connection would leave it.
        gate.Shut();
        gate.Open();
        await sender.SendAsync(Email("after"), TestContext.Current.CancellationToken);

        // Closing the sender closes the connection it kept, which ends that session at the catcher.
        sender.Dispose();

        var mail = new MailCatcher(servers.MailApi);
        await Eventually.GetAsync(() => mail.WithSubjectAsync($"Burst {run}"), m => m.Count == 6, "all six emails");
        // The catcher counts a session's messages once it has recorded the session's end, a moment after the last email.
        var sessions = await Eventually.GetAsync(() => mail.SessionsMentioningAsync($"burst-{run}-", since), s => s.Count >= 2 && s.Sum() >= 6,
            "both sessions, with their emails counted");
        sessions.Order().ToList().ShouldBe([1, 5], "the burst in one session, and the email after the cut in a new one");
    }
}
