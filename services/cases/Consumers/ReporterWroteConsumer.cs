using Harbour.Cases.Casework;
using Harbour.Contracts;
using MassTransit;

namespace Harbour.Cases.Consumers;

public sealed class ReporterWroteConsumer(CasesDbContext db, TimeProvider clock, ILogger<ReporterWroteConsumer> log)
    : IConsumer<ReporterWrote>
{
    public Task Consume(ConsumeContext<ReporterWrote> context)
    {
        var posted = context.Message;
        return db.KeepOnceAsync(posted.MessageId, posted.ReportId, posted.Reference, "message.received",
            CaseMessage.FromThe(posted), clock, log, context.CancellationToken);
    }
}
