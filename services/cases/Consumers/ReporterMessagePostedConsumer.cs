using Harbour.Cases.Audit;
using Harbour.Cases.Cases;
using Harbour.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Consumers;

public sealed class ReporterMessagePostedConsumer(CasesDbContext db, TimeProvider clock, ILogger<ReporterMessagePostedConsumer> log)
    : IConsumer<ReporterMessagePosted>
{
    public async Task Consume(ConsumeContext<ReporterMessagePosted> context)
    {
        var posted = context.Message;
        if (await db.Messages.AnyAsync(m => m.Id == posted.MessageId, context.CancellationToken))
        {
            log.LogInformation("Reporter's message on {Reference} already kept; duplicate ignored", posted.Reference);
            return;
        }
        // The report's own event may still be on its way: failing here retries until the case is open.
        var found = await db.Cases.SingleOrDefaultAsync(c => c.ReportId == posted.ReportId, context.CancellationToken)
            ?? throw new InvalidOperationException($"No case yet for report {posted.Reference}.");
        db.Messages.Add(CaseMessage.FromThe(found, posted));
        db.AuditLog.Add(AuditEntry.By("reporter", "message.received", clock, found.Id));
        try
        {
            await db.SaveChangesAsync(context.CancellationToken);
            log.LogInformation("Reporter wrote on case {Reference}", posted.Reference);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            log.LogInformation("Reporter's message on {Reference} was kept concurrently; duplicate ignored", posted.Reference);
        }
    }
}
