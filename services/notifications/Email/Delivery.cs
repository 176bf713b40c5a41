namespace Harbour.Notifications.Email;

// The delivery log: which email was sent for what, to whom and when. Never the body.
public sealed class Delivery
{
    public long Id { get; private set; }
    public required string Key { get; init; }
    public required string Recipient { get; init; }
    public required string Subject { get; init; }
    public DateTimeOffset SentAt { get; init; }
}
