using Microsoft.EntityFrameworkCore;

namespace Harbour.Notifications.Email;

public static class SendOnce
{
    // Emails this process has handed to the SMTP server but not yet recorded: if the database fails at the commit (a
    // restart), the retry records the delivery without sending again. Only a crash of the process itself in that moment
    // can still repeat an email (with the same Message-ID, so mail clients show one).
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> SentNotRecorded = new();

    // One email per purpose (key): the delivery row is claimed and the email sent in one transaction. If sending fails,
    // the claim is rolled back and the retry sends; if the row is already committed, the email went out and a
    // redelivered event sends nothing. Rows kept with the delivery (alongside: a link, NotificationDelivered in the outbox) are in the same transaction.
    public static async Task SendOnceAsync(this NotificationsDbContext db, EmailSender email, OutgoingEmail mail,
        TimeProvider clock, ILogger log, CancellationToken ct, Action? alongside = null)
    {
        var (key, to, subject) = (mail.Key, mail.To, mail.Subject);
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            // A retried attempt starts clean: a claim left tracked by a failed attempt would collide with the new
            // one and pass for an email already sent.
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            db.Deliveries.Add(new Delivery { Key = key, Recipient = to, Subject = subject, SentAt = clock.GetUtcNow() });
            alongside?.Invoke();
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
            if (!SentNotRecorded.ContainsKey(key))
            {
                await email.SendAsync(mail, CancellationToken.None);
                SentNotRecorded[key] = true;
            }
            await transaction.CommitAsync(CancellationToken.None);
            SentNotRecorded.TryRemove(key, out _);
        });
    }
}
