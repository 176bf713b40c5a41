namespace Harbour.Contracts;

/// <summary>A case manager suggested a service of the support directory to the reporter: information given (signposting) or a
/// warm referral. Published by cases; consumed by intake, which lists the service on the reporter's follow-up page (once per
/// <see cref="ReferralId"/>), and meant for analytics' referrals by service. Carries no identity and no narrative.</summary>
/// <param name="ReferralId">The referral's id (UUID v7): the key a consumer keeps it once by.</param>
/// <param name="ReportId">intake's id of the report the case was opened for.</param>
/// <param name="ServiceId">A support service id of the institution profile (e.g. <c>counselling</c>).</param>
/// <param name="How">A code of <see cref="ReferralKinds"/>: signpost or warm-referral.</param>
/// <param name="MadeOn">The UK date the reporter was told or introduced.</param>
/// <param name="RecordedAt">When the case manager recorded it (UTC).</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Intake, ServiceNames.Analytics)]
public sealed record SupportSuggested(Guid ReferralId, Guid ReportId, string ServiceId, string How, DateOnly MadeOn, DateTimeOffset RecordedAt);

/// <summary>What became of a referral: whether the reporter took it up, and whether it helped (as the reporter told their case
/// manager). Published by cases each time it is recorded (the latest stands); meant for analytics' support uptake. No
/// identity, no narrative (the case manager's note stays in cases).</summary>
/// <param name="ReferralId">SupportSuggested.ReferralId.</param>
/// <param name="ReportId">intake's id of the report.</param>
/// <param name="ServiceId">A support service id of the institution profile.</param>
/// <param name="Uptake">A code of <see cref="ReferralUptakes"/>.</param>
/// <param name="Helped">A code of <see cref="ReferralHelped"/>, or null when not known.</param>
/// <param name="RecordedAt">When (UTC).</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Analytics)]
public sealed record ReferralUptakeRecorded(Guid ReferralId, Guid ReportId, string ServiceId, string Uptake, string? Helped, DateTimeOffset RecordedAt);
