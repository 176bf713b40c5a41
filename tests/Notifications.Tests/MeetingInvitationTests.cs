using Harbour.Contracts;
using Ical.Net;
using MimeKit;

namespace Harbour.Notifications.Tests;

// Meeting invitations against the real mail catcher: one email per person and version, each with an iCalendar file a calendar
// can read (the same UID, SEQUENCE counting the moves, METHOD:CANCEL when called off); the reporter's is discreet.
public sealed class MeetingInvitationTests(NotificationsFactory notifications) : IClassFixture<NotificationsFactory>
{
    static async Task<(string Text, Calendar Invitation, MimeMessage Message)> ReadAsync(MailCatcher mail, CaughtMail caught)
    {
        using var raw = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(await mail.RawAsync(caught)));
        var message = await MimeMessage.LoadAsync(raw);
        var ics = message.Attachments.OfType<MimePart>().Single(a => a.FileName == "invite.ics");
        using var content = new MemoryStream();
        await ics.Content!.DecodeToAsync(content);
        return (message.TextBody ?? "", Calendar.Load(System.Text.Encoding.UTF8.GetString(content.ToArray()))!, message);
    }

    [Fact]
    public async Task TheStaffMemberAndTheReporterGetAValidInvitationOnceAndTheCancellationReplacesIt()
    {
        var mail = new MailCatcher(notifications.Servers.MailApi);
        var (staff, reporter) = ($"cm-{Guid.NewGuid():N}@harbour.test", $"kofi-{Guid.NewGuid():N}@student.test");
        var id = Guid.CreateVersion7();
        var details = new MeetingDetails(new DateTimeOffset(2026, 12, 8, 14, 30, 0, TimeSpan.Zero), 45, "in-person", "Student Centre, room 2",
            new Recipient(staff, "Casey Manager"), TestMail.Sealer.Seal(new Recipient(reporter, "Kofi")), "University of Northgate");
        var scheduled = new MeetingScheduled(id, Guid.NewGuid(), "HR-2026-123987", 0, details);

        await notifications.PublishAsync(scheduled);
        await notifications.PublishAsync(scheduled);

        var toReporter = await Eventually.GetAsync(async () => (await mail.WithSubjectAsync("Your appointment on Tuesday 8 December")).Where(m => m.To.Contains(reporter)).ToList(),
            m => m.Count > 0, "the reporter's invitation");
        var toStaff = await Eventually.GetAsync(async () => (await mail.WithSubjectAsync("Meeting on case HR-2026-123987")).Where(m => m.To.Contains(staff)).ToList(),
            m => m.Count > 0, "the staff member's invitation");
        await Task.Delay(TimeSpan.FromSeconds(2));
        (await mail.WithSubjectAsync("Your appointment on Tuesday 8 December")).Count(m => m.To.Contains(reporter)).ShouldBe(1);

        var (text, invitation, message) = await ReadAsync(mail, toReporter[0]);
        text.ShouldContain("Tuesday 8 December 2026 at 14:30 (UK time), for 45 minutes, in person: Student Centre, room 2");
        text.ShouldNotContain("HR-2026-123987", Case.Sensitive, "the reporter's email names no case");
        invitation.Method.ShouldBe("REQUEST");
        var meeting = invitation.Events.ShouldHaveSingleItem();
        (meeting.Uid, meeting.Sequence, meeting.Summary, meeting.Location).ShouldBe(($"{id}@harbour", 0, "Appointment", "Student Centre, room 2"));
        meeting.DtStart!.AsUtc.ShouldBe(new DateTime(2026, 12, 8, 14, 30, 0, DateTimeKind.Utc));
        meeting.EffectiveDuration.Minutes.ShouldBe(45);
        message.ReplyTo.Mailboxes.Single().Address.ShouldBe("team@harbour.test");
        (await ReadAsync(mail, toStaff[0])).Invitation.Events.Single().Summary.ShouldBe("Meeting with the reporter, case HR-2026-123987");

        await notifications.PublishAsync(new MeetingCancelled(id, scheduled.ReportId, scheduled.Reference, 1, details));
        var cancelled = await Eventually.GetAsync(async () => (await mail.WithSubjectAsync("Cancelled: your appointment")).Where(m => m.To.Contains(reporter)).ToList(),
            m => m.Count > 0, "the cancellation");
        var cancellation = (await ReadAsync(mail, cancelled[0])).Invitation;
        cancellation.Method.ShouldBe("CANCEL");
        (cancellation.Events.Single().Uid, cancellation.Events.Single().Sequence, cancellation.Events.Single().Status).ShouldBe(($"{id}@harbour", 1, "CANCELLED"));
    }

    [Fact]
    public async Task AReporterWhoGaveNoSafeAddressIsNotEmailed()
    {
        var mail = new MailCatcher(notifications.Servers.MailApi);
        var staff = $"cm-{Guid.NewGuid():N}@harbour.test";
        var scheduled = new MeetingScheduled(Guid.CreateVersion7(), Guid.NewGuid(), "HR-2026-555111", 0, new MeetingDetails(
            new DateTimeOffset(2026, 12, 9, 10, 0, 0, TimeSpan.Zero), 30, "phone", null, new Recipient(staff, "Casey Manager"), null, "University of Northgate"));

        await notifications.PublishAsync(scheduled);

        await Eventually.GetAsync(async () => (await mail.WithSubjectAsync("Meeting on case HR-2026-555111")).Where(m => m.To.Contains(staff)).ToList(),
            m => m.Count > 0, "the staff member's invitation");
        (await mail.WithSubjectAsync("Your appointment on Wednesday 9 December")).ShouldBeEmpty();
    }
}
