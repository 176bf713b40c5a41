using Harbour.Contracts;
using Harbour.ServiceDefaults.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Intake.Consumers;

// The case reached the end of its retention period and cases deleted it: intake deletes its copies too, in one transaction:
// the report, the conversation, the files, the meetings and suggested services, the follow-up sessions, and what its outbox
// still holds about the report (events waiting to go, sealed copies of those sent). The reference and receipt then open
// nothing, as a wrong receipt would not. A second delivery finds nothing left and changes nothing; an event about the
// report arriving later keeps nothing, for every consumer that adds a row for a report adds it only while the report exists
// (holding it while it does).
public sealed class CaseDeletedConsumer(IntakeDbContext db, ILogger<CaseDeletedConsumer> log) : IConsumer<CaseDeleted>
{
    public async Task Consume(ConsumeContext<CaseDeleted> context)
    {
        var (report, ct) = (context.Message.ReportId, context.CancellationToken);
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // The report first: an event about it being kept at this moment waits for this to commit, then finds no report.
            await db.Reports.Where(r => r.Id == report).ExecuteDeleteAsync(ct);
            await db.Messages.Where(m => m.ReportId == report).ExecuteDeleteAsync(ct);
            await db.Evidence.Where(e => e.ReportId == report).ExecuteDeleteAsync(ct);
            await db.Meetings.Where(m => m.ReportId == report).ExecuteDeleteAsync(ct);
            await db.SuggestedServices.Where(s => s.ReportId == report).ExecuteDeleteAsync(ct);
            await db.FollowUpSessions.Where(s => s.ReportId == report).ExecuteDeleteAsync(ct);
            await db.ForgetEverythingAboutAsync(report, context.Message.Reference, ct);
            await transaction.CommitAsync(ct);
        });
        log.LogInformation("Report {Reference} deleted at the end of its retention period", context.Message.Reference);
    }
}
