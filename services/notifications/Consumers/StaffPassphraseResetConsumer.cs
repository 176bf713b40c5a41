using Harbour.Contracts;
using Harbour.Notifications.Email;
using Harbour.Notifications.Templates;
using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using MassTransit;

namespace Harbour.Notifications.Consumers;

// Emails a staff account its link to choose a new passphrase, once per request. The link is the secret: it is in the
// email only, never in a log, and crosses the broker sealed with the mail key.
public sealed class StaffPassphraseResetConsumer(NotificationsDbContext db, EmailSender email, EmailSettings settings, TimeProvider clock,
    [FromKeyedServices(Sealer.Mail)] Sealer mail, ILogger<StaffPassphraseResetConsumer> log) : IConsumer<StaffPassphraseResetRequested>
{
    public async Task Consume(ConsumeContext<StaffPassphraseResetRequested> context)
    {
        var requested = context.Message;
        var reset = await db.EmailAsync("staff-passphrase-reset", $"staff-passphrase-reset/{requested.RequestId}", requested.Email, new Dictionary<string, string>
        {
            ["name"] = requested.DisplayName,
            ["link"] = new Uri(settings.PublicUrl, $"/cases/passphrase/reset/{mail.Open<string>(requested.SealedToken)}").ToString(),
            ["expires"] = $"{requested.ExpiresAt.InUk():d MMMM yyyy HH:mm}",
        }, context.CancellationToken);
        await db.SendOnceAsync(email, reset, clock, log, context.CancellationToken);
    }
}
