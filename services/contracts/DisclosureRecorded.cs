namespace Harbour.Contracts;

/// <summary>A case manager recorded a report made to them by phone, by email or in person, so that it becomes a report like any
/// other (a reference, a case, a count by its channel). Published by cases through its outbox as a secret row; consumed by intake,
/// which checks it as it checks every report and answers <see cref="DisclosureAccepted"/> or <see cref="DisclosureRefused"/>,
/// once per <see cref="DisclosureId"/>.</summary>
/// <param name="DisclosureId">The disclosure's id (UUID v7): intake's submission id for the report, so it is kept once.</param>
/// <param name="Channel">A code of <see cref="ReportChannels.ByStaff"/>: phone, email or in-person.</param>
/// <param name="SealedReport">The report as <c>POST /api/reports</c> takes it (its JSON), sealed like ReportSubmitted.SealedDetails.</param>
/// <param name="RecordedAt">When the case manager recorded it (UTC).</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Intake)]
public sealed record DisclosureRecorded(Guid DisclosureId, string Channel, string SealedReport, DateTimeOffset RecordedAt);

/// <summary>intake kept a disclosure as a report. Published by intake through its outbox as a secret row (it holds the receipt);
/// consumed by cases, which shows the case manager the reference and, once, the receipt to pass on to the reporter.</summary>
/// <param name="DisclosureId">DisclosureRecorded.DisclosureId.</param>
/// <param name="ReportId">intake's id of the report (ReportSubmitted.ReportId): the case's.</param>
/// <param name="Reference">The report's reference, <c>HR-yyyy-nnnnnn</c>.</param>
/// <param name="Receipt">The receipt that opens the report at /follow-up (as SubmittedReport.Receipt), or null when the report was
/// kept before and its receipt cannot be shown again.</param>
[PublishedBy(ServiceNames.Intake)]
[ConsumedBy(ServiceNames.Cases)]
public sealed record DisclosureAccepted(Guid DisclosureId, Guid ReportId, string Reference, string? Receipt);

/// <summary>intake could not keep a disclosure as a report (a field missing or wrong, as the report API would say). Published by
/// intake; consumed by cases, which shows the case manager each problem beside its field, with what they typed.</summary>
/// <param name="DisclosureId">DisclosureRecorded.DisclosureId.</param>
/// <param name="Problems">The field names of the report API with their messages.</param>
[PublishedBy(ServiceNames.Intake)]
[ConsumedBy(ServiceNames.Cases)]
public sealed record DisclosureRefused(Guid DisclosureId, IReadOnlyDictionary<string, string[]> Problems);
