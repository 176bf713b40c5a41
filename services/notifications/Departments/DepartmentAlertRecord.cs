using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;

namespace Harbour.Notifications.Departments;

// notifications' record of a department alert it sent: enough to remind the department and to take its acknowledgement.
// Never the body.
public sealed class DepartmentAlertRecord
{
    public Guid AlertId { get; init; }
    public required string Reference { get; init; }
    public required string Department { get; init; }
    public required string Recipient { get; init; }
    public required string Subject { get; init; }
    public required string Institution { get; init; }
    public DateTimeOffset SentAt { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
}

// A personal acknowledge link: only the SHA-256 of its token is kept (the token is in the email alone). Any link of an alert
// acknowledges it once; a link stops working after Notifications:AcknowledgeLinkLifetime (30 days).
public sealed class AcknowledgeLink
{
    public required byte[] TokenHash { get; init; }
    public Guid AlertId { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }

    public static (AcknowledgeLink Link, string Token) For(Guid alertId, DateTimeOffset expiresAt)
    {
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (new AcknowledgeLink { TokenHash = Hash(token), AlertId = alertId, ExpiresAt = expiresAt }, token);
    }

    public static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token));

    // 43 base64url characters: anything else is not a link Harbour made, and is not looked up.
    public static bool LooksLikeToken(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
