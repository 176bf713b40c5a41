using Harbour.Cases.Cases;
using Harbour.Contracts;
using MassTransit;

namespace Harbour.Cases.Consumers;

public sealed class ReporterMessagePostedConsumer(CasesDbContext db, TimeProvider clock, ILogger<ReporterMessagePostedConsumer> log)
    : IConsumer<ReporterMessagePosted>
{
    public Task Consume(ConsumeContext<ReporterMessagePosted> context)
    {
        var posted = context.Message;
        return db.KeepOnceAsync(posted.MessageId, posted.ReportId, posted.Reference, "message.received",
            found => CaseMessage.FromThe(found, posted), clock, log, context.CancellationToken);
    }
}
