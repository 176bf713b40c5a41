namespace Harbour.Contracts;

/// <summary>An admin invited someone to Harbour's staff app. Published by cases; consumed by notifications, which emails the
/// invitation (once per <see cref="InvitationId"/>) with a link to choose a passphrase.</summary>
/// <param name="InvitationId">The invitation's id (UUID v7); the key that sends the email once. Sent again (a new link),
/// an invitation is a new id.</param>
/// <param name="Email">Where the invitation goes: the staff member's work address.</param>
/// <param name="DisplayName">The name the staff member is shown by on cases.</param>
/// <param name="SealedToken">The secret the link carries (43 base64url characters, 256 random bits), sealed (a JSON string,
/// AES-256-GCM) with the mail key, Harbour:MailKey, which only cases and notifications hold (ServiceDefaults/Security/Sealer.cs):
/// whoever can read the broker or its error queues cannot take over the invitation and the roles it gives. cases keeps only
/// its SHA-256 hash. Single use; never logged.</param>
/// <param name="ExpiresAt">When the link stops working (UTC).</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Notifications)]
public sealed record StaffInvited(Guid InvitationId, string Email, string DisplayName, string SealedToken, DateTimeOffset ExpiresAt);
