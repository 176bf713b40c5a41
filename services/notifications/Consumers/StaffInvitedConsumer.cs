using Harbour.Contracts;
using Harbour.Notifications.Email;
using Harbour.Profile;
using Harbour.Notifications.Templates;
using Harbour.ServiceDefaults.Security;
using MassTransit;

namespace Harbour.Notifications.Consumers;

// Emails an invitation to join the staff app, once per invitation, with its single-use link. The link is the secret: it is
// in the email only, never in a log, and crosses the broker sealed with the mail key.
public sealed class StaffInvitedConsumer(NotificationsDbContext db, EmailSender email, EmailSettings settings, TimeProvider clock,
    [FromKeyedServices(Sealer.Mail)] Sealer mail, ILogger<StaffInvitedConsumer> log) : IConsumer<StaffInvited>
{
    public async Task Consume(ConsumeContext<StaffInvited> context)
    {
        var invited = context.Message;
        // An invitation published before its token was sealed (it named it Token) cannot be sent: the Admin sends it again.
        if (invited.SealedToken is null)
            throw new InvalidOperationException($"Invitation {invited.InvitationId} carries no sealed token: it was published by an earlier version; send it again from the staff page");
        var invitation = await db.EmailAsync("staff-invited", $"staff-invited/{invited.InvitationId}", invited.Email, new Dictionary<string, string>
        {
            ["name"] = invited.DisplayName, ["link"] = new Uri(settings.PublicUrl, $"/cases/invitation/{mail.Open<string>(invited.SealedToken)}").ToString(),
            ["expires"] = $"{invited.ExpiresAt.InUk():d MMMM yyyy HH:mm}",
        }, context.CancellationToken);
        await db.SendOnceAsync(email, invitation, clock, log, context.CancellationToken);
    }
}
