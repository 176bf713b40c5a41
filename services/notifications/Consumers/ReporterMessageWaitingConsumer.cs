using Harbour.Contracts;
using Harbour.Notifications.Email;
using MassTransit;

namespace Harbour.Notifications.Consumers;

// Tells the case manager who has a case that the reporter wrote: the reference and a link, never the message. Once per message.
public sealed class ReporterMessageWaitingConsumer(NotificationsDbContext db, EmailSender email, EmailSettings settings, TimeProvider clock,
    ILogger<ReporterMessageWaitingConsumer> log) : IConsumer<ReporterMessageWaiting>
{
    public Task Consume(ConsumeContext<ReporterMessageWaiting> context)
    {
        var waiting = context.Message;
        var body = $"""
            Hello {waiting.Assignee.Name},

            The reporter has written on case {waiting.Reference}. Their message is waiting for you in Harbour:

            {new Uri(settings.PublicUrl, $"/cases/{waiting.Reference}#conversation")}

            This email says nothing about the message on purpose.
            """;
        return db.SendOnceAsync(email, new OutgoingEmail($"reporter-message/{waiting.MessageId}", waiting.Assignee.Email, $"A message is waiting on case {waiting.Reference}",
            body), clock, log, context.CancellationToken);
    }
}
