namespace Harbour.Contracts;

/// <summary>A case manager wrote to a reporter who reported by name, chose email, and said it is safe to contact them. Published by
/// cases through its outbox as a secret row (it holds their address); consumed by notifications, which emails them once per
/// message that a message waits on their follow-up page: no reference, nothing of the message or the case.</summary>
/// <param name="MessageId">The case manager's message id (CaseManagerWrote.MessageId): the key that sends the email once.</param>
/// <param name="SealedReporter">The reporter's address and name as they gave them (a <see cref="Recipient"/>), sealed with the mail
/// key (Harbour:MailKey), which only cases and notifications hold: the broker never holds the address.</param>
/// <param name="Institution">The institution's name.</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Notifications)]
public sealed record ReporterMessageReady(Guid MessageId, string SealedReporter, string Institution);
