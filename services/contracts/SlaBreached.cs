namespace Harbour.Contracts;

/// <summary>A response step's deadline passed with the step not done. Published by cases, once per case and step (its breach
/// job marks the step as it publishes); consumed by notifications, which emails each recipient once (a reference, the
/// step and its date, a link: nothing of the report).</summary>
/// <param name="BreachId">This breach's id (UUID v7): with a recipient's address, the key that sends each email once.</param>
/// <param name="Reference">The case's reference, <c>HR-yyyy-nnnnnn</c>.</param>
/// <param name="Step">The step's code (triage, first-contact, or one the profile adds).</param>
/// <param name="DueOn">The UK date it was due by.</param>
/// <param name="Recipients">Who is told: the assignee and the leads of the case's teams; while nobody has the case, its
/// teams' case managers and leads. Empty when the case has no team and no assignee: then the team address is told.</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Notifications)]
public sealed record SlaBreached(Guid BreachId, string Reference, string Step, DateOnly DueOn, IReadOnlyList<Recipient> Recipients);

/// <summary>A staff member to email: their work address and display name.</summary>
public sealed record Recipient(string Email, string Name);

/// <summary>A response step's deadline passed with the step not done, for analytics (breaches by month): published by cases with
/// each <see cref="SlaBreached"/>, once per case and step; carries no reference, name or address.</summary>
/// <param name="ReportId">intake's id of the report the case was opened for.</param>
/// <param name="Step">The step's code (triage, first-contact, or one the profile adds).</param>
/// <param name="DueOn">The UK date it was due by; it was missed the day after.</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Analytics)]
public sealed record DeadlineMissed(Guid ReportId, string Step, DateOnly DueOn);
