using Harbour.Contracts;
using Harbour.Intake.FollowUp;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Intake.Consumers;

// A case manager's message waits here for the reporter's next visit, so the follow-up page works while cases is down.
public sealed class CaseManagerWroteConsumer(IntakeDbContext db, ILogger<CaseManagerWroteConsumer> log) : IConsumer<CaseManagerWrote>
{
    public async Task Consume(ConsumeContext<CaseManagerWrote> context)
    {
        var sent = context.Message;
        var stored = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO conversation_messages (id, report_id, "from", sealed_body, at)
            SELECT {sent.MessageId}, {sent.ReportId}, {MessageSenders.CaseManager}, {sent.SealedBody}, {sent.WrittenAt}
            WHERE EXISTS (SELECT FROM reports WHERE id = {sent.ReportId} FOR KEY SHARE)
            ON CONFLICT (id) DO NOTHING
            """, context.CancellationToken);
        log.LogInformation(stored == 1 ? "Message for report {Reference} kept for the reporter" : "Message for report {Reference} already kept",
            sent.Reference);
    }
}
