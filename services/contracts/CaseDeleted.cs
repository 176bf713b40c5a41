namespace Harbour.Contracts;

/// <summary>A case's data reached the end of its retention period and cases deleted it: the report, the conversation, the
/// files, the notes and every record of the case work. Published by cases, which has already deleted its copy and keeps only
/// a line in its deletion log (reference, kind, rule, date: no content); consumed by intake, which deletes its own copies (the
/// report, the conversation, the files, the meetings and suggested services, the follow-up sessions), so that the reference
/// and receipt then open nothing. Carries no content. Retention periods come from the institution profile's retention section
/// (UK GDPR Article 5(1)(e), storage limitation).</summary>
/// <param name="ReportId">intake's id of the report the case was opened for.</param>
/// <param name="Reference">The report's reference, <c>HR-yyyy-nnnnnn</c>.</param>
/// <param name="Rule">The rule that ended it, in words: the kind of report and the period (e.g. "anonymous reports: 12 months from submission").</param>
/// <param name="DeletedAt">When (UTC).</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Intake, ServiceNames.Notifications)]
public sealed record CaseDeleted(Guid ReportId, string Reference, string Rule, DateTimeOffset DeletedAt);
