using Harbour.ServiceDefaults.Security;

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
    // Where the department's answers go (the team's address when null).
    public string? ReplyTo { get; init; }
    public DateTimeOffset SentAt { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
}

// A personal acknowledge link: only the SHA-256 of its token is kept (the token is in the email alone; cases made it). Any link of an alert
// acknowledges it once; a link stops working after Notifications:AcknowledgeLinkLifetime (30 days).
public sealed class AcknowledgeLink
{
    public required byte[] TokenHash { get; init; }
    public Guid AlertId { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }

    // The token cases made for the email (it travels in the event, so that a retried send carries the same link).
    public static AcknowledgeLink For(Guid alertId, string token, DateTimeOffset expiresAt) =>
        new() { TokenHash = SecretTokens.Hash(token), AlertId = alertId, ExpiresAt = expiresAt };
}
