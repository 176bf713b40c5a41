using Harbour.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Notifications.Consumers;

// The case reached the end of its retention period and cases deleted it: notifications deletes what it kept about it, in one
// transaction: the department alerts sent for it (recipient, subject) with their acknowledge links, and the delivery log's
// lines about it (the team's new-report email, the alerts and their reminders, and any email whose subject names the
// reference: breaches, assignments, meetings). A second delivery finds nothing left.
public sealed class CaseDeletedConsumer(NotificationsDbContext db, ILogger<CaseDeletedConsumer> log) : IConsumer<CaseDeleted>
{
    public async Task Consume(ConsumeContext<CaseDeleted> context)
    {
        var (deleted, ct) = (context.Message, context.CancellationToken);
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var alerts = await db.DepartmentAlerts.Where(a => a.Reference == deleted.Reference).Select(a => a.AlertId).ToListAsync(ct);
            var keys = alerts.SelectMany(id => new[] { $"department-alert/{id}", $"department-alert-reminder/{id}" })
                .Append($"report-submitted/{deleted.ReportId}").ToList();
            await db.Deliveries.Where(d => keys.Contains(d.Key) || d.Subject.Contains(deleted.Reference)).ExecuteDeleteAsync(ct);
            await db.DeliveryFailures.Where(d => keys.Contains(d.Key) || d.Subject.Contains(deleted.Reference)).ExecuteDeleteAsync(ct);
            await db.AcknowledgeLinks.Where(l => alerts.Contains(l.AlertId)).ExecuteDeleteAsync(ct);
            await db.DepartmentAlerts.Where(a => a.Reference == deleted.Reference).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
        });
        log.LogInformation("What was kept about case {Reference} deleted at the end of its retention period", deleted.Reference);
    }
}
