namespace Harbour.Contracts;

/// <summary>Someone asked, on the sign-in page, to reset the passphrase of a staff account that signs in with one. Published
/// by cases; consumed by notifications, which emails the account's address (once per <see cref="RequestId"/>) a link to choose
/// a new passphrase. The second factor is not reset: the link does not sign anyone in (OWASP ASVS 5.0 V6.4.3).</summary>
/// <param name="RequestId">The request's id (UUID v7); the key that sends the email once. A later request is a new id, and
/// the earlier link stops working.</param>
/// <param name="Email">Where the link goes: the account's own address, never an address the asker typed that has no account.</param>
/// <param name="DisplayName">The name the account is shown by on cases.</param>
/// <param name="SealedToken">The secret the link carries (43 base64url characters, 256 random bits), sealed (a JSON string,
/// AES-256-GCM) with the mail key, Harbour:MailKey, which only cases and notifications hold (ServiceDefaults/Security/Sealer.cs).
/// cases keeps only its SHA-256 hash. Single use; never logged.</param>
/// <param name="ExpiresAt">When the link stops working (UTC): Staff:PassphraseResetLifetime after the request, 1 hour by default.</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Notifications)]
public sealed record StaffPassphraseResetRequested(Guid RequestId, string Email, string DisplayName, string SealedToken, DateTimeOffset ExpiresAt);
