using Harbour.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Intake.Consumers;

// A meeting arranged, moved or cancelled waits for the reporter's next visit to the follow-up page (never their address:
// intake keeps the time, the place and the case manager's name).
public sealed class MeetingConsumer(IntakeDbContext db, ILogger<MeetingConsumer> log) : IConsumer<MeetingScheduled>, IConsumer<MeetingCancelled>
{
    public Task Consume(ConsumeContext<MeetingScheduled> context) =>
        KeepAsync(context.Message.MeetingId, context.Message.ReportId, context.Message.Sequence, context.Message.Meeting, false, context.CancellationToken);

    public Task Consume(ConsumeContext<MeetingCancelled> context) =>
        KeepAsync(context.Message.MeetingId, context.Message.ReportId, context.Message.Sequence, context.Message.Meeting, true, context.CancellationToken);

    async Task KeepAsync(Guid id, Guid reportId, int sequence, MeetingDetails meeting, bool cancelled, CancellationToken ct)
    {
        var kept = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO follow_up_meetings (id, report_id, sequence, starts_at, minutes, format, "where", "with", cancelled)
            SELECT {id}, {reportId}, {sequence}, {meeting.StartsAt}, {meeting.Minutes}, {meeting.Format}, {meeting.Where}, {meeting.CaseManager.Name}, {cancelled}
            WHERE EXISTS (SELECT FROM reports WHERE id = {reportId} FOR KEY SHARE)
            ON CONFLICT (id) DO UPDATE SET sequence = EXCLUDED.sequence, starts_at = EXCLUDED.starts_at, minutes = EXCLUDED.minutes,
                format = EXCLUDED.format, "where" = EXCLUDED."where", "with" = EXCLUDED."with", cancelled = EXCLUDED.cancelled
            WHERE follow_up_meetings.sequence < EXCLUDED.sequence
            """, ct);
        log.LogInformation(kept == 1 ? "Meeting {MeetingId} (version {Sequence}) kept for the reporter" : "Meeting {MeetingId} version {Sequence} is not newer; ignored",
            id, sequence);
    }
}
