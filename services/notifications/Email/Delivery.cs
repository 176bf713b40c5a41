namespace Harbour.Notifications.Email;

// The delivery log: which email was sent for what, to whom and when. Never the body; for a reporter, not even the address.
public sealed class Delivery
{
    public long Id { get; private set; }
    public required string Key { get; init; }
    // What it was for: the key's first part (an EmailPurposes code).
    public string Purpose { get; init; } = "";
    // The address; "reporter" for an email to a reporter (their address stays in the case, not in a log admins read).
    public required string Recipient { get; init; }
    public required string Subject { get; init; }
    public DateTimeOffset SentAt { get; init; }
}

// One attempt to send that failed (the SMTP server down, a refusal), kept beside the log: the retries that follow, and
// whether the email went in the end, show in the log. The reason is the mail server's answer in short, never the body.
public sealed class DeliveryFailure
{
    public long Id { get; private set; }
    public required string Key { get; init; }
    public required string Purpose { get; init; }
    public required string Recipient { get; init; }
    public required string Subject { get; init; }
    public required string Reason { get; init; }
    // Not tried again: the mail server refused it for good (5xx), or there is no address to send to.
    public bool Final { get; init; }
    public DateTimeOffset At { get; init; }

    public static DeliveryFailure For(OutgoingEmail mail, string reason, bool final, TimeProvider clock) => new()
    {
        Key = mail.Key, Purpose = mail.Purpose, Recipient = mail.LoggedRecipient, Subject = mail.Subject, Reason = reason, Final = final, At = clock.GetUtcNow(),
    };
}
