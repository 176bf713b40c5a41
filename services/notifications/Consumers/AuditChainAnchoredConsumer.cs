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
                ["day"] = $"{anchor.At.InUk():d MMMM yyyy}", ["entry"] = $"{anchor.EntryId}", ["written"] = $"{anchor.EntryAt.InUk():d MMMM yyyy HH:mm}",
                ["hash"] = anchor.Hash, ["link"] = new Uri(settings.PublicUrl, "/cases/audit").ToString(),
            }, context.CancellationToken);
            await db.SendOnceAsync(email, mail, clock, log, context.CancellationToken);
        }
    }
}
