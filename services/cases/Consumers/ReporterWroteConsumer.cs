using Harbour.Cases.Casework;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Consumers;

public sealed class ReporterWroteConsumer(CasesDbContext db, TimeProvider clock, ILogger<ReporterWroteConsumer> log)
    : IConsumer<ReporterWrote>
{
    public async Task Consume(ConsumeContext<ReporterWrote> context)
    {
        var posted = context.Message;
        // The case manager who has the case hears that a message waits (nothing of what it says).
        var assignee = await (from c in db.Cases
                              join u in db.Users on c.AssigneeId equals u.Id
                              where c.ReportId == posted.ReportId && u.DisabledAt == null
                                  && !db.Involvements.Any(i => i.CaseId == c.Id && i.UserId == u.Id)
                              select new Recipient(u.Email!, u.DisplayName)).SingleOrDefaultAsync(context.CancellationToken);
        await db.KeepOnceAsync(posted.MessageId, posted.ReportId, posted.Reference, "message.received",
            CaseMessage.FromThe(posted), clock, log, context.CancellationToken,
            tell: assignee is null ? null : OutboxMessage.For(new ReporterMessageWaiting(posted.MessageId, posted.Reference, assignee), clock));
    }
}
