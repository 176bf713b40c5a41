using Harbour.Contracts;
using Harbour.Notifications.Email;
using Harbour.Notifications.Templates;
using Harbour.Profile;
using Harbour.ServiceDefaults.Outbox;
using Harbour.ServiceDefaults.Security;
using MailKit.Net.Smtp;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Notifications.Departments;

// Emails a department the alert a case manager wrote, once per alert, in plain text and HTML (no images, no tracking), with a
// personal acknowledge link (a reminder, later, is DepartmentAlertReminderConsumer's). Announces the delivery
// (NotificationDelivered) with it, or the failure (NotificationFailed) when there is no address to send to; a send that
// still fails after its retries is announced by DepartmentAlertFailureConsumer.
public sealed class DepartmentAlertConsumer(NotificationsDbContext db, EmailSender email, EmailSettings settings, TimeProvider clock,
    IConfiguration configuration, [FromKeyedServices(Sealer.Mail)] Sealer mail, ILogger<DepartmentAlertConsumer> log) : IConsumer<DepartmentAlertRequested>
{
    // How long an acknowledge link works: Notifications:AcknowledgeLinkLifetime, 30 days unless set.
    internal static TimeSpan LinkLifetime(IConfiguration configuration) => configuration.GetValue("Notifications:AcknowledgeLinkLifetime", TimeSpan.FromDays(30));

    public async Task Consume(ConsumeContext<DepartmentAlertRequested> context)
    {
        var alert = context.Message;
        if (!EmailSender.CanSendTo(alert.To))
        {
            log.LogWarning("Department alert {AlertId} has no usable address", alert.AlertId);
            db.DeliveryFailures.Add(DeliveryFailure.For(new OutgoingEmail($"department-alert/{alert.AlertId}", alert.To ?? "", alert.Subject, ""),
                "no usable address in the institution profile", final: true, clock));
            db.Outbox.Add(OutboxMessage.For(new NotificationFailed(alert.AlertId, NotificationPurposes.DepartmentAlert,
                $"{alert.Department} has no usable email address in the institution profile", clock.GetUtcNow()), clock));
            await db.SaveChangesAsync(context.CancellationToken);
            return;
        }
        var key = $"department-alert/{alert.AlertId}";
        var token = mail.Open<string>(alert.SealedAcknowledgeToken);
        var link = AcknowledgeLink.For(alert.AlertId, token, clock.GetUtcNow() + LinkLifetime(configuration));
        var url = new Uri(settings.PublicUrl, $"/acknowledge/{token}").ToString();
        var body = mail.Open<string>(alert.SealedBody);
        var text = body.Contains(DepartmentAlertRequested.LinkPlaceholder, StringComparison.Ordinal)
            ? body.Replace(DepartmentAlertRequested.LinkPlaceholder, url, StringComparison.Ordinal)
            : $"{body}\n\nPlease confirm you have read this: {url}";
        try
        {
            await db.SendOnceAsync(email, new OutgoingEmail(key, alert.To, alert.Subject, text)
            {
                Html = AlertHtml(text, url), Urgent = alert.Urgent, ReplyTo = alert.ReplyTo ?? settings.TeamAddress,
            }, clock, log, context.CancellationToken, alongside: () =>
            {
                db.DepartmentAlerts.Add(new DepartmentAlertRecord
                {
                    AlertId = alert.AlertId, Reference = alert.Reference, Department = alert.Department, Recipient = alert.To, Subject = alert.Subject,
                    Institution = alert.Institution, SentAt = clock.GetUtcNow(), ReplyTo = alert.ReplyTo,
                });
                db.AcknowledgeLinks.Add(link);
                db.Outbox.Add(OutboxMessage.For(new NotificationDelivered(alert.AlertId, NotificationPurposes.DepartmentAlert, clock.GetUtcNow()), clock));
            });
        }
        catch (SmtpCommandException refused) when ((int)refused.StatusCode >= 500)
        {
            // A permanent refusal (no such mailbox, a domain that takes no mail) will not change with retries: say so at once.
            log.LogWarning("Department alert {AlertId} refused by the mail server ({Status})", alert.AlertId, (int)refused.StatusCode);
            db.ChangeTracker.Clear();
            db.Outbox.Add(OutboxMessage.For(new NotificationFailed(alert.AlertId, NotificationPurposes.DepartmentAlert,
                $"the mail server refused the address {alert.To}", clock.GetUtcNow()), clock));
            await db.SaveChangesAsync(context.CancellationToken);
        }
    }

    // The acknowledge link reads as what it does.
    internal static string AlertHtml(string text, string url) =>
        EmailTemplates.Html(text, new Dictionary<string, string> { [url] = "Confirm that you have read this alert" });
}

// The department alert's endpoint publishes a Fault<DepartmentAlertRequested> when it gives up on an alert (every other
// endpoint publishes none): DepartmentAlertRequested names notifications as its fault's consumer ([FaultConsumedBy]).
public sealed class DepartmentAlertConsumerDefinition : ConsumerDefinition<DepartmentAlertConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<DepartmentAlertConsumer> consumer,
        IRegistrationContext context) => endpoint.PublishFaults = true;
}

// A department alert the mail server refused through every retry: the case is told, in plain words, that the department was
// NOT told (MassTransit publishes the fault once the retries are spent; the alert itself is in the error queue).
public sealed class DepartmentAlertFailureConsumer(NotificationsDbContext db, TimeProvider clock, ILogger<DepartmentAlertFailureConsumer> log)
    : IConsumer<Fault<DepartmentAlertRequested>>
{
    public async Task Consume(ConsumeContext<Fault<DepartmentAlertRequested>> context)
    {
        var alert = context.Message.Message;
        // Sent after all (the fault came after the delivery was recorded: a redelivery that failed on something else).
        if (await db.Deliveries.AnyAsync(d => d.Key == $"department-alert/{alert.AlertId}", context.CancellationToken)) return;
        log.LogWarning("Department alert {AlertId} could not be sent", alert.AlertId);
        db.Outbox.Add(OutboxMessage.For(new NotificationFailed(alert.AlertId, NotificationPurposes.DepartmentAlert,
            "the email could not be sent, after several tries", clock.GetUtcNow()), clock));
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

// A reminder to a department that has not acknowledged an alert. On an endpoint of its own, which publishes no fault (the
// department alert's endpoint publishes them, and a Fault<DepartmentAlertUnacknowledged> is one the broker would refuse).
public sealed class DepartmentAlertReminderConsumer(NotificationsDbContext db, EmailSender email, EmailSettings settings, TimeProvider clock,
    IConfiguration configuration, [FromKeyedServices(Sealer.Mail)] Sealer mail, ILogger<DepartmentAlertReminderConsumer> log) : IConsumer<DepartmentAlertUnacknowledged>
{
    // A reminder, with a new link (the first one's token is not kept): the reference and the date, nothing of the case.
    public async Task Consume(ConsumeContext<DepartmentAlertUnacknowledged> context)
    {
        var overdue = context.Message;
        var sent = await db.DepartmentAlerts.FindAsync([overdue.AlertId], context.CancellationToken);
        // Never sent (its failure is on the case already) or acknowledged meanwhile: nothing to remind.
        if (sent is null || sent.AcknowledgedAt is not null) return;
        var key = $"department-alert-reminder/{overdue.AlertId}";
        var token = mail.Open<string>(overdue.SealedAcknowledgeToken);
        var link = AcknowledgeLink.For(overdue.AlertId, token, clock.GetUtcNow() + DepartmentAlertConsumer.LinkLifetime(configuration));
        var url = new Uri(settings.PublicUrl, $"/acknowledge/{token}").ToString();
        var reminder = await db.EmailAsync("department-alert-reminder", key, sent.Recipient, new Dictionary<string, string>
        {
            ["sentOn"] = $"{sent.SentAt.InUk():d MMMM yyyy}", ["institution"] = sent.Institution, ["department"] = sent.Department, ["reference"] = sent.Reference,
            ["subject"] = sent.Subject, ["acknowledgeBy"] = $"{overdue.AcknowledgeBy:d MMMM yyyy}", ["link"] = url,
        }, context.CancellationToken);
        await db.SendOnceAsync(email, reminder with { Html = DepartmentAlertConsumer.AlertHtml(reminder.Text, url), ReplyTo = sent.ReplyTo ?? settings.TeamAddress }, clock, log,
            context.CancellationToken, alongside: () => db.AcknowledgeLinks.Add(link));
    }
}
