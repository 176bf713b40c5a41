using Harbour.Notifications.Email;
using Harbour.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Harbour.Notifications.Deliveries;

// Retention of what notifications keeps on its own (UK GDPR Article 5(1)(e), storage limitation): the delivery log's lines and
// failed attempts older than Retention:DeliveryLogMonths (24 calendar months), and acknowledge links expired as long ago. Lines
// about a case go with the case before that (CaseDeletedConsumer); this takes the rest: emails that name no case (invitations)
// and lines of cases still kept. Department alert records (recipient, subject) stay until their case is deleted: the case's
// acknowledgements and reminders need them. A line is also what makes an email go once (SendOnceAsync): an event older than the period,
// replayed after its line went, would be emailed again. Scheduled by Quartz.NET every Retention:SweepInterval (an hour); one
// replica at a time (a PostgreSQL advisory lock).
[DisallowConcurrentExecution]
public sealed class DeliveryLogSweep(NotificationsDbContext db, IConfiguration configuration, TimeProvider clock, ILogger<DeliveryLogSweep> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var quiet = Quiet.Begin();
        var deleted = await RunAsync(db, configuration.GetValue("Retention:DeliveryLogMonths", 24), clock, cancellationToken);
        if (deleted > 0) log.LogInformation("{Count} delivery log lines and expired links past their retention period deleted", deleted);
    }

    // Returns how many rows went; -1 when another replica is at work.
    public static Task<int> RunAsync(NotificationsDbContext db, int months, TimeProvider clock, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            var before = clock.GetUtcNow().AddMonths(-months);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (!await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock(hashtext('harbour-delivery-log-retention')) AS \"Value\"").SingleAsync(ct))
                return -1;
            var deleted = await db.Deliveries.Where(d => d.SentAt < before).ExecuteDeleteAsync(ct)
                + await db.DeliveryFailures.Where(f => f.At < before).ExecuteDeleteAsync(ct)
                + await db.AcknowledgeLinks.Where(l => l.ExpiresAt < before).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
            return deleted;
        });
}
