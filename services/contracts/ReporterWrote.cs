namespace Harbour.Contracts;

/// <summary>The reporter wrote to their case manager from the follow-up page or the follow-up API. Published by intake;
/// consumed by cases, which keeps it on the report's case (or, if the case is not open yet, keeps it until it is).</summary>
/// <param name="MessageId">The message's own id (UUID v7, or the id an app gave); the key that keeps it once.</param>
/// <param name="ReportId">intake's id of the report the message belongs to.</param>
/// <param name="Reference">The report's reference, <c>HR-yyyy-nnnnnn</c>, for logs and people.</param>
/// <param name="SealedBody">The text, sealed (AES-256-GCM, <c>v1.</c> then base64); only intake and cases can open it.
/// At most <see cref="Limits.Message"/> characters once opened.</param>
/// <param name="WrittenAt">When intake received it (UTC).</param>
[PublishedBy(ServiceNames.Intake)]
[ConsumedBy(ServiceNames.Cases)]
public sealed record ReporterWrote(Guid MessageId, Guid ReportId, string Reference, string SealedBody, DateTimeOffset WrittenAt);
