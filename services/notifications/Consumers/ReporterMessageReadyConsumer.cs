using Harbour.Contracts;
using Harbour.Notifications.Email;
using Harbour.Notifications.Templates;
using Harbour.ServiceDefaults.Security;
using MassTransit;

namespace Harbour.Notifications.Consumers;

// Tells a reporter who asked for email, and said it is safe, that a message waits on their follow-up page: nothing of the
// message, no reference, a subject anyone may see. Once per message.
public sealed class ReporterMessageReadyConsumer(NotificationsDbContext db, EmailSender email, EmailSettings settings, TimeProvider clock,
    [FromKeyedServices(Sealer.Mail)] Sealer mail, ILogger<ReporterMessageReadyConsumer> log) : IConsumer<ReporterMessageReady>
{
    public async Task Consume(ConsumeContext<ReporterMessageReady> context)
    {
        var ready = context.Message;
        // An event from before addresses were sealed has none: it takes the same way as an address that cannot be used.
        var reporter = string.IsNullOrEmpty(ready.SealedReporter) ? new Recipient("", "") : mail.Open<Recipient>(ready.SealedReporter);
        if (!EmailSender.CanSendTo(reporter.Email))
        {
            log.LogWarning("Reporter message {MessageId}: no usable address; not emailed", ready.MessageId);
            db.DeliveryFailures.Add(DeliveryFailure.For(new OutgoingEmail($"reporter-message-ready/{ready.MessageId}", "", $"A new message from {ready.Institution}", "")
                { ToReporter = true }, "the reporter's address cannot be used", final: true, clock));
            await db.SaveChangesAsync(context.CancellationToken);
            return;
        }
        var message = await db.EmailAsync("reporter-message-ready", $"reporter-message-ready/{ready.MessageId}", reporter.Email, new Dictionary<string, string>
        {
            ["greeting"] = reporter.Name.Length > 0 ? $"Hello {reporter.Name}" : "Hello", ["institution"] = ready.Institution,
            ["link"] = new Uri(settings.PublicUrl, "/follow-up").ToString(),
        }, context.CancellationToken);
        await db.SendOnceAsync(email, message with { ReplyTo = settings.TeamAddress, ToReporter = true }, clock, log, context.CancellationToken);
    }
}
