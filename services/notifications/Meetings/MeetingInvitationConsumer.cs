using Harbour.Contracts;
using Harbour.Notifications.Email;
using Harbour.Profile;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Harbour.ServiceDefaults.Security;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Notifications.Meetings;

// Invites the staff member and, when they asked for email and said it is safe, the reporter to a meeting, with an iCalendar
// invitation (Ical.Net): one UID per meeting, its SEQUENCE counting moves, METHOD:CANCEL when called off. Once per meeting,
// sequence and person. The reporter's email is discreet: an "appointment", the time and place, nothing about the case.
public sealed class MeetingInvitationConsumer(NotificationsDbContext db, EmailSender email, EmailSettings settings, TimeProvider clock,
    [FromKeyedServices(Sealer.Mail)] Sealer mail, ILogger<MeetingInvitationConsumer> log) : IConsumer<MeetingScheduled>, IConsumer<MeetingCancelled>
{
    public async Task Consume(ConsumeContext<MeetingScheduled> context)
    {
        var scheduled = context.Message;
        // Moved to someone else: the person who was to meet the reporter is sent the cancellation.
        if (scheduled.Replaced is { Email.Length: > 0 } replaced)
            await InviteAsync(scheduled.MeetingId, scheduled.Reference, scheduled.Sequence, scheduled.Meeting with { CaseManager = replaced, SealedReporter = null },
                cancelled: true, context.CancellationToken, who: "replaced");
        await InviteAsync(scheduled.MeetingId, scheduled.Reference, scheduled.Sequence, scheduled.Meeting, cancelled: false, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<MeetingCancelled> context) =>
        InviteAsync(context.Message.MeetingId, context.Message.Reference, context.Message.Sequence, context.Message.Meeting, cancelled: true,
            context.CancellationToken);

    async Task InviteAsync(Guid meetingId, string reference, int sequence, MeetingDetails meeting, bool cancelled, CancellationToken ct, string who = "staff")
    {
        var when = meeting.StartsAt.InUk();
        var how = ReportAnswers.MeetingFormats.Label(meeting.Format).ToLowerInvariant();
        var where = meeting.Where is null ? "" : $": {meeting.Where}";
        var staffText = $"""
            Hello {meeting.CaseManager.Name},

            {(cancelled ? "Cancelled: the" : "The")} meeting with the reporter of case {reference} {(cancelled ? "that was" : "is")} on {when:dddd d MMMM yyyy} at {when:HH:mm} (UK time), for {meeting.Minutes} minutes, {how}{where}.

            {new Uri(settings.PublicUrl, $"/cases/{reference}#meetings")}
            """;
        await SendAsync(meetingId, sequence, who, meeting.CaseManager, cancelled,
            $"{(cancelled ? "Cancelled: meeting" : "Meeting")} on case {reference}, {when:ddd d MMM HH:mm}", staffText,
            $"Meeting with the reporter, case {reference}", meeting, ct);
        if (meeting.SealedReporter is null) return;
        var reporter = mail.Open<Recipient>(meeting.SealedReporter);
        var reporterText = $"""
            Hello{(reporter.Name.Length > 0 ? $" {reporter.Name}" : "")},

            {(cancelled
                ? $"Your appointment with {meeting.CaseManager.Name} from {meeting.Institution} on {when:dddd d MMMM yyyy} at {when:HH:mm} (UK time) is cancelled. {meeting.CaseManager.Name} will be in touch to arrange another if you wish."
                : $"This confirms your appointment with {meeting.CaseManager.Name} from {meeting.Institution} on {when:dddd d MMMM yyyy} at {when:HH:mm} (UK time), for {meeting.Minutes} minutes, {how}{where}.")}

            {(cancelled ? "" : "The invitation is attached, to add to your calendar if you wish. To change the time, reply to this email.")}
            """;
        await SendAsync(meetingId, sequence, "reporter", reporter, cancelled,
            $"{(cancelled ? "Cancelled: your appointment" : "Your appointment")} on {when:dddd d MMMM}", reporterText, "Appointment", meeting, ct);
    }

    async Task SendAsync(Guid meetingId, int sequence, string who, Recipient to, bool cancelled, string subject, string text, string summary,
        MeetingDetails meeting, CancellationToken ct)
    {
        // An older version arriving after a newer one was sent (a redelivery, a slow queue) is not sent: it would undo the newer.
        var prefix = $"meeting/{meetingId}/";
        var sent = await db.Deliveries.Where(d => d.Key.StartsWith(prefix) && d.Key.EndsWith($"/{who}")).Select(d => d.Key).ToListAsync(ct);
        if (sent.Any(key => int.TryParse(key[prefix.Length..key.LastIndexOf('/')], out var later) && later > sequence))
        {
            log.LogInformation("Meeting {MeetingId} version {Sequence} overtaken by a later one; not sent", meetingId, sequence);
            return;
        }
        await db.SendOnceAsync(email, new OutgoingEmail($"{prefix}{sequence}/{who}", to.Email, subject, text)
        {
            ReplyTo = settings.TeamAddress, Calendar = Invitation(meetingId, sequence, to, summary, meeting, cancelled), ToReporter = who == "reporter",
            CalendarMethod = cancelled ? "CANCEL" : "REQUEST",
        }, clock, log, ct);
    }

    string Invitation(Guid meetingId, int sequence, Recipient to, string summary, MeetingDetails meeting, bool cancelled)
    {
        var calendar = new Calendar { Method = cancelled ? "CANCEL" : "REQUEST", ProductId = "-//Harbour//Meetings//EN" };
        calendar.Events.Add(new CalendarEvent
        {
            Uid = $"{meetingId}@harbour",
            Sequence = sequence,
            Summary = summary,
            Location = meeting.Where ?? ReportAnswers.MeetingFormats.Label(meeting.Format),
            DtStart = new CalDateTime(meeting.StartsAt.UtcDateTime, "UTC"),
            Duration = Duration.FromMinutes(meeting.Minutes),
            DtStamp = new CalDateTime(clock.GetUtcNow().UtcDateTime, "UTC"),
            Status = cancelled ? "CANCELLED" : "CONFIRMED",
            Organizer = new Organizer($"mailto:{settings.TeamAddress}") { CommonName = meeting.Institution },
            Attendees = [new Attendee($"mailto:{to.Email}") { CommonName = to.Name, Role = "REQ-PARTICIPANT", Rsvp = false }],
        });
        return new CalendarSerializer().SerializeToString(calendar)!;
    }
}
