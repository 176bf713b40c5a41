namespace Harbour.Contracts;

/// <summary>Where a case stands changed. Published by cases; consumed by intake, which shows it on the follow-up page (a
/// change older than the one it holds is ignored).</summary>
/// <param name="ReportId">intake's id of the report the case was opened for.</param>
/// <param name="Reference">The report's reference, <c>HR-yyyy-nnnnnn</c>.</param>
/// <param name="Status">A code of <see cref="CaseStatuses.Terms"/>.</param>
/// <param name="ChangedAt">When it changed (UTC); orders changes that arrive out of order.</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Intake)]
public sealed record CaseStatusChanged(Guid ReportId, string Reference, string Status, DateTimeOffset ChangedAt);
