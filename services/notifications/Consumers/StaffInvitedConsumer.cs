using Harbour.Contracts;
using Harbour.Notifications.Email;
using Harbour.Profile;
using MassTransit;

namespace Harbour.Notifications.Consumers;

// Emails an invitation to join the staff app, once per invitation, with its single-use link. The link is the secret: it is
// in the email only, never in a log.
public sealed class StaffInvitedConsumer(NotificationsDbContext db, EmailSender email, EmailSettings settings, TimeProvider clock,
    ILogger<StaffInvitedConsumer> log) : IConsumer<StaffInvited>
{
    public Task Consume(ConsumeContext<StaffInvited> context)
    {
        var invited = context.Message;
        var link = new Uri(settings.PublicUrl, $"/cases/invitation/{invited.Token}");
        var body = $"""
            Hello {invited.DisplayName},

            You have been invited to Harbour, the university's case management system for reports of harassment and
            hate incidents. Choose a passphrase to create your account:

            {link}

            The link works once, until {invited.ExpiresAt.InUk():d MMMM yyyy HH:mm} UK time. If you were not expecting
            this invitation, ignore it and tell your administrator.
            """;
        return db.SendOnceAsync(email, new OutgoingEmail($"staff-invited/{invited.InvitationId}", invited.Email, "Your invitation to Harbour", body), clock, log,
            context.CancellationToken);
    }
}
