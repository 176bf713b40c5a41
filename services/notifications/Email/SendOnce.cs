using Microsoft.EntityFrameworkCore;

namespace Harbour.Notifications.Email;

public static class SendOnce
{
    // One email per purpose (key): the delivery row is claimed and the email sent in one transaction. If sending fails,
    // the claim is rolled back and the retry sends; if the row is already committed, the email went out and a
    // redelivered event sends nothing.
    public static async Task SendOnceAsync(this NotificationsDbContext db, EmailSender email, string key, string to, string subject, string body,
        TimeProvider clock, ILogger log, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            // A retried attempt starts clean: a claim left tracked by a failed attempt would collide with the new
            // one and pass for an email already sent.
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            db.Deliveries.Add(new Delivery { Key = key, Recipient = to, Subject = subject, SentAt = clock.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                log.LogInformation("{Key} already sent; duplicate ignored", key);
                db.ChangeTracker.Clear();
                return;
            }
            // Once the send starts it is finished and recorded, even while the service stops: cancelling between
            // the SMTP server's acceptance and the commit would send the email again on redelivery.
            await email.SendAsync(key, to, subject, body, CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        });
    }
}
