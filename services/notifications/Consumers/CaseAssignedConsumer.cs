using Harbour.Contracts;
using Harbour.Notifications.Email;
using MassTransit;

namespace Harbour.Notifications.Consumers;

// Tells a case manager a case has been given to them: the reference and a link, nothing of the report. Once per
// assignment; nobody is emailed for a case they took themselves, or one given to a team without a person.
public sealed class CaseAssignedConsumer(NotificationsDbContext db, EmailSender email, EmailSettings settings, TimeProvider clock,
    ILogger<CaseAssignedConsumer> log) : IConsumer<CaseAssigned>
{
    public Task Consume(ConsumeContext<CaseAssigned> context)
    {
        var assigned = context.Message;
        if (assigned.AssigneeEmail is null || assigned.ToThemselves) return Task.CompletedTask;
        var link = new Uri(settings.PublicUrl, $"/cases/{assigned.Reference}");
        var body = $"""
            Hello {assigned.AssigneeName},

            {assigned.AssignedBy} has assigned case {assigned.Reference} to you in Harbour:

            {link}

            Sign in to read it. This email says nothing about the report on purpose.
            """;
        return db.SendOnceAsync(email, new OutgoingEmail($"case-assigned/{assigned.AssignmentId}", assigned.AssigneeEmail, $"Case {assigned.Reference} has been assigned to you",
            body), clock, log, context.CancellationToken);
    }
}
