using System.Linq.Expressions;
using Harbour.Cases.Casework;
using Harbour.Cases.Departments;
using Harbour.Contracts;
using Harbour.Profile;
using Harbour.ServiceDefaults.Outbox;
using Harbour.ServiceDefaults.Security;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Harbour.Cases.Consumers;

// What became of a department alert, onto the case's timeline, once each however often it is delivered: the mail server took
// it; someone in the department acknowledged it; or it could not be sent, and then the case says the department was NOT told
// and whoever has the case gets a task to tell them another way.
public sealed class DepartmentAlertAnswersConsumer(CasesDbContext db, Sealer sealer, TimeProvider clock, ILogger<DepartmentAlertAnswersConsumer> log)
    : IConsumer<NotificationDelivered>, IConsumer<NotificationFailed>, IConsumer<DepartmentAlertAcknowledged>
{
    public Task Consume(ConsumeContext<NotificationDelivered> context) =>
        context.Message.Purpose != NotificationPurposes.DepartmentAlert ? Task.CompletedTask
        : RecordOnceAsync(context.Message.NotificationId, a => a.DeliveredAt == null,
            set => set.SetProperty(a => a.DeliveredAt, context.Message.DeliveredAt), TimelineKinds.AlertDelivered, null, context.CancellationToken,
            // Analytics counts a department as informed once its mail server took the alert (one that failed told nobody).
            announce: (alert, found) => OutboxMessage.For(new DepartmentInformed(alert.Id, found.ReportId, alert.DepartmentId, alert.RequestedAt,
                alert.AcknowledgeBy), clock));

    public Task Consume(ConsumeContext<DepartmentAlertAcknowledged> context) =>
        RecordOnceAsync(context.Message.AlertId, a => a.AcknowledgedAt == null,
            set => set.SetProperty(a => a.AcknowledgedAt, context.Message.AcknowledgedAt), TimelineKinds.AlertAcknowledged, null, context.CancellationToken);

    public Task Consume(ConsumeContext<NotificationFailed> context)
    {
        var failed = context.Message;
        if (failed.Purpose != NotificationPurposes.DepartmentAlert) return Task.CompletedTask;
        return RecordOnceAsync(failed.NotificationId, a => a.FailedAt == null && a.DeliveredAt == null,
            set => set.SetProperty(a => a.FailedAt, failed.FailedAt).SetProperty(a => a.FailureReason, failed.Reason), TimelineKinds.AlertFailed,
            alert => $"Tell {alert.Department} another way: the alert email could not be sent", context.CancellationToken);
    }

    // The alert's column is set and its timeline line added in one transaction, only if it was not set already.
    async Task RecordOnceAsync(Guid alertId, Expression<Func<DepartmentAlert, bool>> notYet,
        Action<UpdateSettersBuilder<DepartmentAlert>> set, string kind,
        Func<DepartmentAlert, string>? task, CancellationToken ct, Func<DepartmentAlert, Case, OutboxMessage>? announce = null)
    {
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (await db.Alerts.Where(a => a.Id == alertId).Where(notYet).ExecuteUpdateAsync(set, ct) == 0)
            {
                log.LogInformation("Department alert {AlertId}: {Kind} already recorded, or no such alert", alertId, kind);
                return;
            }
            var alert = await db.Alerts.AsNoTracking().SingleAsync(a => a.Id == alertId, ct);
            var found = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == alert.CaseId, ct);
            db.Timeline.Add(TimelineEntry.On(found, kind, "Harbour", clock, subject: alert.Id.ToString()));
            // A task for whoever can follow it up, while the case is open.
            if (task is not null && found.Status != CaseStatuses.Closed && await db.FollowUpOwnerAsync(found, alert.RequestedById, ct) is { } owner)
                db.AddTask(found, task(alert), UkTime.Today(clock), owner, "Harbour", sealer, clock);
            if (announce is not null) db.Outbox.Add(announce(alert, found));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        });
    }
}
