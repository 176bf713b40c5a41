using Harbour.Contracts;
using Harbour.Notifications.Email;
using Harbour.Notifications.Templates;
using MassTransit;

namespace Harbour.Notifications.Consumers;

// Tells the case manager who has a case that the reporter wrote: the reference and a link, never the message. Once per message.
public sealed class ReporterMessageWaitingConsumer(NotificationsDbContext db, EmailSender email, EmailSettings settings, TimeProvider clock,
    ILogger<ReporterMessageWaitingConsumer> log) : IConsumer<ReporterMessageWaiting>
{
    public async Task Consume(ConsumeContext<ReporterMessageWaiting> context)
    {
        var waiting = context.Message;
        var mail = await db.EmailAsync("reporter-message", $"reporter-message/{waiting.MessageId}", waiting.Assignee.Email, new Dictionary<string, string>
        {
            ["name"] = waiting.Assignee.Name, ["reference"] = waiting.Reference,
            ["link"] = new Uri(settings.PublicUrl, $"/cases/{waiting.Reference}#conversation").ToString(),
        }, context.CancellationToken);
        await db.SendOnceAsync(email, mail, clock, log, context.CancellationToken);
    }
}
