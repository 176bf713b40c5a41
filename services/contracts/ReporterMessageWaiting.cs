namespace Harbour.Contracts;

/// <summary>The reporter wrote on a case someone has. Published by cases as it keeps the message; consumed by notifications,
/// which emails the assignee once per message that a message waits (the reference and a link: never what it says).</summary>
/// <param name="MessageId">The reporter's message id (ReporterWrote.MessageId): the key that sends the email once.</param>
/// <param name="Reference">The case's reference, <c>HR-yyyy-nnnnnn</c>.</param>
/// <param name="Assignee">The case manager who has the case.</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Notifications)]
public sealed record ReporterMessageWaiting(Guid MessageId, string Reference, Recipient Assignee);
