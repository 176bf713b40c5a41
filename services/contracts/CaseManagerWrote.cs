namespace Harbour.Contracts;

/// <summary>A case manager wrote to the reporter. Published by cases; consumed by intake, which keeps it for the reporter's
/// next visit to the follow-up page.</summary>
/// <param name="MessageId">The message's id (UUID v7); the key that keeps it once.</param>
/// <param name="ReportId">intake's id of the report the case was opened for.</param>
/// <param name="Reference">The report's reference, <c>HR-yyyy-nnnnnn</c>.</param>
/// <param name="SealedBody">The text, sealed like the report's narrative; at most <see cref="Limits.Message"/> characters once opened.</param>
/// <param name="WrittenAt">When the case manager sent it (UTC).</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Intake)]
public sealed record CaseManagerWrote(Guid MessageId, Guid ReportId, string Reference, string SealedBody, DateTimeOffset WrittenAt);
