using Harbour.Contracts;
using Harbour.Notifications.Email;
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
            var body = $"""
                Hello {recipient.Name},

                A deadline has passed on case {breach.Reference}: {step.ToLowerInvariant()} was due by {breach.DueOn:dddd d MMMM yyyy} and is not done.

                {link}

                Sign in to see the case. This email says nothing about the report on purpose.
                """;
            await db.SendOnceAsync(email, new OutgoingEmail($"sla-breached/{breach.BreachId}/{recipient.Email.ToLowerInvariant()}", recipient.Email,
                $"Deadline passed: {step} on case {breach.Reference}", body), clock, log, context.CancellationToken);
        }
    }
}
