using System.Net;
using Harbour.Contracts;
using Harbour.Notifications.Email;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Notifications.Tests;

// Admins see every email: what for, to whom, when, in how many attempts, and whether it went; never the words, and never a
// reporter's address.
public sealed class DeliveryLogTests(NotificationsFactory notifications) : IClassFixture<NotificationsFactory>
{
    [Fact]
    public async Task TheLogShowsWhatWentToWhomButNoBodyAndNoReportersAddress()
    {
        var mail = new MailCatcher(notifications.Servers.MailApi);
        var reporter = $"kofi-{Guid.NewGuid():N}@student.test";
        var assignee = $"sam-{Guid.NewGuid():N}@harbour.test";
        await notifications.PublishAsync(new ReporterMessageReady(Guid.NewGuid(), TestMail.Sealer.Seal(new Recipient(reporter, "Kofi")), "University of Northgate"));
        await notifications.PublishAsync(new ReporterMessageWaiting(Guid.NewGuid(), "HR-2026-777001", new Recipient(assignee, "Sam Assignee")));
        await Eventually.GetAsync(() => mail.WithSubjectAsync("HR-2026-777001"), m => m.Any(x => x.To.Contains(assignee)), "the case manager's email");
        await Eventually.GetAsync(() => mail.WithSubjectAsync("A new message from University of Northgate"), m => m.Any(x => x.To.Contains(reporter)), "the reporter's email");

        var page = await notifications.SignedIn(StaffRoles.Admin).GetStringAsync("/notifications/deliveries");
        page.ShouldContain("A message is waiting on case HR-2026-777001");
        page.ShouldContain(assignee);
        page.ShouldContain("The reporter wrote (to the case manager)");
        page.ShouldContain("New message (to the reporter)");
        page.ShouldContain("the reporter");
        page.ShouldNotContain(reporter);
        page.ShouldNotContain("This email says nothing about the message on purpose", customMessage: "never a body");
        await notifications.PublishAsync(new ReporterMessageReady(Guid.NewGuid(), TestMail.Sealer.Seal(new Recipient("not an address", "Lin")), "University of Southgate"));
        await Eventually.GetAsync(() => notifications.SignedIn(StaffRoles.Admin).GetStringAsync("/notifications/deliveries?status=not-sent"),
            p => p.Contains("A new message from University of Southgate"), "the email that could not go");
        (await notifications.SignedIn(StaffRoles.Admin).GetStringAsync("/notifications/deliveries?status=not-sent"))
            .ShouldContain("the reporter&#x27;s address cannot be used. It is not tried again");
        var filtered = await notifications.SignedIn(StaffRoles.Admin).GetStringAsync("/notifications/deliveries?purpose=reporter-message-ready");
        filtered.ShouldNotContain("HR-2026-777001");

        await using var scope = notifications.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        (await db.Deliveries.AnyAsync(d => d.Recipient == reporter)).ShouldBeFalse("a reporter's address is not kept in the log");
        (await db.Deliveries.CountAsync(d => d.Purpose == "reporter-message-ready" && d.Recipient == "reporter")).ShouldBeGreaterThanOrEqualTo(1);
        (await notifications.SignedIn(StaffRoles.CaseManager).GetAsync("/notifications/deliveries")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}

// The delivery log's own retention (Retention:DeliveryLogMonths, 24): lines and failed attempts older than the period go, with
// acknowledge links expired as long ago; newer ones stay. Run with a moved clock.
public sealed class DeliveryLogRetentionTests(NotificationsFactory notifications) : IClassFixture<NotificationsFactory>
{
    [Fact]
    public async Task LinesOlderThanTheRetentionPeriodAreDeletedAndNewerOnesKept()
    {
        var mail = new MailCatcher(notifications.Servers.MailApi);
        var invited = $"new-{Guid.NewGuid():N}@harbour.test";
        await notifications.PublishAsync(new StaffInvited(Guid.CreateVersion7(), invited, "New Colleague", TestMail.Sealer.Seal(SecretTokens.New()), DateTimeOffset.UtcNow.AddDays(7)));
        await Eventually.GetAsync(() => mail.WithSubjectAsync("Your invitation to Harbour"), m => m.Any(x => x.To.Contains(invited)), "the invitation");
        await using var scope = notifications.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        db.DeliveryFailures.Add(new DeliveryFailure { Key = $"staff-invited/{invited}", Purpose = "staff-invited", Recipient = invited, Subject = "x",
            Reason = "the mail server was down", At = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();

        async Task<int> SweepAsync(TimeSpan later) =>
            await Eventually.GetAsync(() => Deliveries.DeliveryLogSweep.RunAsync(db, 24, new LaterClock(later), CancellationToken.None),
                deleted => deleted >= 0, "the sweep (not another's at the same time)");
        await SweepAsync(TimeSpan.FromDays(365 * 2 - 5));
        (await db.Deliveries.AnyAsync(d => d.Recipient == invited)).ShouldBeTrue("not two years yet");
        await SweepAsync(TimeSpan.FromDays(365 * 2 + 5));
        (await db.Deliveries.AnyAsync(d => d.Recipient == invited)).ShouldBeFalse("two years on, the line has gone");
        (await db.DeliveryFailures.AnyAsync(f => f.Recipient == invited)).ShouldBeFalse("and the failed attempt");
    }
}

// With a mail server that cannot be reached, every attempt fails, and the delivery log says so.
public sealed class FailedDeliveryLogTests(UnreachableMailFactory notifications) : IClassFixture<UnreachableMailFactory>
{
    [Fact]
    public async Task AnEmailTheMailServerCannotTakeIsLoggedAsNotSentWithEachAttemptCounted()
    {
        var assignee = $"sam-{Guid.NewGuid():N}@harbour.test";
        await notifications.PublishAsync(new ReporterMessageWaiting(Guid.NewGuid(), "HR-2026-777002", new Recipient(assignee, "Sam Assignee")));
        await using var scope = notifications.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        await Eventually.GetAsync(() => db.DeliveryFailures.CountAsync(f => f.Recipient == assignee), count => count >= 2, "the retries to fail");

        var page = await notifications.SignedIn(StaffRoles.Admin).GetStringAsync("/notifications/deliveries?status=not-sent");
        page.ShouldContain("A message is waiting on case HR-2026-777002");
        page.ShouldContain("Not sent");
        page.ShouldContain("the mail server could not be reached");
        (await db.Deliveries.AnyAsync(d => d.Recipient == assignee)).ShouldBeFalse();
        (await notifications.SignedIn(StaffRoles.Admin).GetStringAsync("/notifications/deliveries?status=sent")).ShouldNotContain("HR-2026-777002");
    }
}
