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
        var (key, to, subject) = (mail.Key, mail.LoggedRecipient, mail.Subject);
        var strategy = db.Database.CreateExecutionStrategy();
        try
        {
            await SendAndRecordAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await db.RecordFailureAsync(mail, ex, clock, log);
            throw;
        }

        Task SendAndRecordAsync() => strategy.ExecuteAsync(async () =>
        {
            // A retried attempt starts clean: a claim left tracked by a failed attempt would collide with the new
            // one and pass for an email already sent.
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            db.Deliveries.Add(new Delivery { Key = key, Purpose = mail.Purpose, Recipient = to, Subject = subject, SentAt = clock.GetUtcNow() });
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

    // The failed attempt, for the delivery log: best effort (the database may be what failed), and never the body.
    static async Task RecordFailureAsync(this NotificationsDbContext db, OutgoingEmail mail, Exception ex, TimeProvider clock, ILogger log)
    {
        var reason = ex switch
        {
            MailKit.Net.Smtp.SmtpCommandException refused => $"refused by the mail server ({(int)refused.StatusCode})",
            MailKit.Net.Smtp.SmtpProtocolException => "the mail server broke off the conversation",
            System.Net.Sockets.SocketException or TimeoutException or IOException => "the mail server could not be reached",
            MailKit.Security.AuthenticationException => "the mail server refused Harbour's credentials",
            // STARTTLS not offered (or stripped on the way), or a TLS handshake that failed: nothing was sent in plain text.
            NotSupportedException or MailKit.Security.SslHandshakeException => "no secure connection to the mail server (see ConnectionStrings:mail)",
            DbUpdateException or Npgsql.NpgsqlException or Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException => "the delivery could not be recorded (database)",
            _ => "an unexpected error (see the service's log)",
        };
        try
        {
            db.ChangeTracker.Clear();
            db.DeliveryFailures.Add(DeliveryFailure.For(mail, reason, ex is MailKit.Net.Smtp.SmtpCommandException { StatusCode: >= (MailKit.Net.Smtp.SmtpStatusCode)500 }, clock));
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception recording)
        {
            log.LogWarning(recording, "The failed attempt to send {Key} could not be recorded", mail.Key);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
