using Harbour.Contracts;
using Harbour.Notifications.Email;
using Harbour.Notifications.Templates;
using MassTransit;

namespace Harbour.Notifications.Consumers;

// Tells a case manager a case has been given to them: the reference and a link, nothing of the report. Once per
// assignment; nobody is emailed for a case they took themselves, or one given to a team without a person.
public sealed class CaseAssignedConsumer(NotificationsDbContext db, EmailSender email, EmailSettings settings, TimeProvider clock,
    ILogger<CaseAssignedConsumer> log) : IConsumer<CaseAssigned>
{
    public async Task Consume(ConsumeContext<CaseAssigned> context)
    {
        var assigned = context.Message;
        if (assigned.AssigneeEmail is null || assigned.ToThemselves) return;
        var mail = await db.EmailAsync("case-assigned", $"case-assigned/{assigned.AssignmentId}", assigned.AssigneeEmail, new Dictionary<string, string>
        {
            ["name"] = assigned.AssigneeName ?? "", ["assignedBy"] = assigned.AssignedBy, ["reference"] = assigned.Reference,
            ["link"] = new Uri(settings.PublicUrl, $"/cases/{assigned.Reference}").ToString(),
        }, context.CancellationToken);
        await db.SendOnceAsync(email, mail, clock, log, context.CancellationToken);
    }
}
