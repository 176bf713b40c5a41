using Harbour.Contracts;
using Harbour.Notifications.Email;
using Harbour.Notifications.Templates;
using MassTransit;

namespace Harbour.Notifications.Consumers;

// Tells the people responsible that a deadline passed on a case: the reference, the step and its date, a link; nothing of
// the report. Each recipient once per breach; the team address when the case has nobody to tell.
public sealed class SlaBreachedConsumer(NotificationsDbContext db, EmailSender email, EmailSettings settings, TimeProvider clock,
    ILogger<SlaBreachedConsumer> log) : IConsumer<SlaBreached>
{
    public async Task Consume(ConsumeContext<SlaBreached> context)
    {
        var breach = context.Message;
        var step = ResponseSteps.Label(breach.Step);
        var link = new Uri(settings.PublicUrl, $"/cases/{breach.Reference}");
        var recipients = breach.Recipients.Count > 0 ? breach.Recipients : [new Recipient(settings.TeamAddress, "case team")];
        foreach (var recipient in recipients)
        {
            var mail = await db.EmailAsync("sla-breached", $"sla-breached/{breach.BreachId}/{recipient.Email.ToLowerInvariant()}", recipient.Email,
                new Dictionary<string, string>
                {
                    ["name"] = recipient.Name, ["reference"] = breach.Reference, ["step"] = step, ["due"] = $"{breach.DueOn:dddd d MMMM yyyy}", ["link"] = link.ToString(),
                }, context.CancellationToken);
            await db.SendOnceAsync(email, mail, clock, log, context.CancellationToken);
        }
    }
}
