using Harbour.Contracts;
using Harbour.Notifications.Email;
using MassTransit;

namespace Harbour.Notifications.Consumers;

// Tells a reporter who asked for email, and said it is safe, that a message waits on their follow-up page: nothing of the
// message, no reference, a subject anyone may see. Once per message.
public sealed class ReporterMessageReadyConsumer(NotificationsDbContext db, EmailSender email, EmailSettings settings, TimeProvider clock,
    ILogger<ReporterMessageReadyConsumer> log) : IConsumer<ReporterMessageReady>
{
    public Task Consume(ConsumeContext<ReporterMessageReady> context)
    {
        var ready = context.Message;
        if (!EmailSender.CanSendTo(ready.Reporter.Email))
        {
            log.LogWarning("Reporter message {MessageId}: no usable address; not emailed", ready.MessageId);
            return Task.CompletedTask;
        }
        var body = $"""
            Hello{(ready.Reporter.Name.Length > 0 ? $" {ready.Reporter.Name}" : "")},

            There is a new message for you from {ready.Institution}. To read it, open the page below and enter the reference and
            the receipt you were given:

            {new Uri(settings.PublicUrl, "/follow-up")}

            This email says nothing more on purpose.
            """;
        return db.SendOnceAsync(email, new OutgoingEmail($"reporter-message-ready/{ready.MessageId}", ready.Reporter.Email, $"A new message from {ready.Institution}",
            body) { ReplyTo = settings.TeamAddress }, clock, log, context.CancellationToken);
    }
}
