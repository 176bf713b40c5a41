using Harbour.Contracts;
using Harbour.Notifications.Email;
using Harbour.Notifications.Templates;
using Harbour.Profile;
using MassTransit;

namespace Harbour.Notifications.Consumers;

// Emails the audit chain's anchor to each address of Notifications:AuditAnchorTo, once per anchor: the newest entry's
// number, time and hash, and where to check them. No case, no person.
public sealed class AuditChainAnchoredConsumer(NotificationsDbContext db, EmailSender email, EmailSettings settings, TimeProvider clock,
    ILogger<AuditChainAnchoredConsumer> log) : IConsumer<AuditChainAnchored>
{
    public async Task Consume(ConsumeContext<AuditChainAnchored> context)
    {
        var anchor = context.Message;
        foreach (var to in settings.AuditAnchorTo)
        {
            var mail = await db.EmailAsync("audit-anchor", $"audit-anchor/{anchor.AnchorId}/{to.ToLowerInvariant()}", to, new Dictionary<string, string>
            {
                ["day"] = anchor.At.InUk().ToString("d MMMM yyyy", UkTime.Culture), ["entry"] = $"{anchor.EntryId}",
                ["written"] = anchor.EntryAt.InUk().ToString("d MMMM yyyy HH:mm", UkTime.Culture), ["hash"] = anchor.Hash,
                ["chain"] = anchor.ChainHolds ? "The log's chain held when this was taken."
                    : "WARNING: the log's chain did not hold when this was taken: an entry had been changed or removed outside Harbour. Ask an administrator to verify the log, and keep this email.",
                ["link"] = new Uri(settings.PublicUrl, "/cases/audit").ToString(),
            }, context.CancellationToken);
            await db.SendOnceAsync(email, mail, clock, log, context.CancellationToken);
        }
    }
}
