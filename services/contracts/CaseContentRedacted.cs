namespace Harbour.Contracts;

/// <summary>A case manager redacted part of a case irreversibly: a field of the report, or one message of the conversation. Published
/// by cases, which has already destroyed its copy; consumed by intake, which destroys its own (the follow-up page then says the
/// message was removed by the case team). Carries no content and not the reason (which stays sealed on the case's timeline).
/// Exactly one of <see cref="Field"/> and <see cref="MessageId"/> is set.</summary>
/// <param name="RedactionId">The redaction's id (UUID v7).</param>
/// <param name="ReportId">intake's id of the report the case was opened for.</param>
/// <param name="Reference">The report's reference, <c>HR-yyyy-nnnnnn</c>.</param>
/// <param name="Field">A code of <see cref="RedactableFields"/>, or null for a message.</param>
/// <param name="MessageId">The message's id (as in <see cref="ReporterWrote"/> or <see cref="CaseManagerWrote"/>), or null for a field.</param>
/// <param name="MessageFrom">Who wrote the message (a <see cref="MessageSenders"/> code), or null for a field: so that a copy that has
/// not arrived yet is kept as removed rather than arriving later whole.</param>
/// <param name="MessageAt">When the message was written (UTC), or null for a field.</param>
/// <param name="RedactedAt">When (UTC).</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Intake)]
public sealed record CaseContentRedacted(Guid RedactionId, Guid ReportId, string Reference, string? Field, Guid? MessageId, string? MessageFrom,
    DateTimeOffset? MessageAt, DateTimeOffset RedactedAt);
