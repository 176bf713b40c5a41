using Harbour.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Intake.Consumers;

// The status a reporter sees follows cases; a change that arrives after a later one is ignored.
public sealed class CaseStatusChangedConsumer(IntakeDbContext db, ILogger<CaseStatusChangedConsumer> log) : IConsumer<CaseStatusChanged>
{
    public async Task Consume(ConsumeContext<CaseStatusChanged> context)
    {
        var change = context.Message;
        var updated = await db.Reports
            .Where(r => r.Id == change.ReportId && (r.StatusChangedAt == null || r.StatusChangedAt < change.ChangedAt))
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.Status, change.Status)
                .SetProperty(r => r.StatusChangedAt, change.ChangedAt), context.CancellationToken);
        log.LogInformation(updated == 1 ? "Report {Reference} is now {Status}" : "Status {Status} of report {Reference} is not newer; ignored",
            change.Reference, change.Status);
    }
}
