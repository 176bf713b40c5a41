using Harbour.Contracts;

namespace Harbour.Cases.Support;

// A service of the support directory suggested to the reporter (signposting or a warm referral), and what became of it:
// taken up or not, and whether it helped. The case manager's note on it is sealed.
public sealed class Referral
{
    public Guid Id { get; init; }
    public Guid CaseId { get; init; }
    public required string ServiceId { get; init; }
    public required string Service { get; init; }
    public required string How { get; init; }
    public DateOnly MadeOn { get; init; }
    public required string RecordedBy { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public string Uptake { get; set; } = ReferralUptakes.NotKnown;
    public string? Helped { get; set; }
    public string? SealedNote { get; set; }
    public DateTimeOffset? UptakeRecordedAt { get; set; }
    public string? UptakeRecordedBy { get; set; }
}

/// <summary>A referral as a case manager reads it on the case (Work.Referrals): the service's name and id, how (a ReferralKinds
/// code), the UK date it was made, uptake (a ReferralUptakes code), helped (a ReferralHelped code or null), the note, and who
/// recorded what when (UTC).</summary>
public sealed record ReferralView(Guid Id, string ServiceId, string Service, string How, DateOnly MadeOn, string RecordedBy, string Uptake,
    string? Helped, string? Note, DateTimeOffset? UptakeRecordedAt, string? UptakeRecordedBy);

/// <summary>A referral or signpost (<c>POST /api/cases/{reference}/referrals</c>). ReferralId: a UUID the caller makes, so the
/// same referral sent twice is kept once (optional). ServiceId: a support service of the current institution profile. How:
/// signpost or warm-referral. MadeOn: a UK date, not in the future (today if left out). CheckInOn: when to ask the reporter
/// whether they reached it, a UK date, today or later (5 working days on if left out); a task for whoever has the case.</summary>
public sealed record ReferralRequest(Guid? ReferralId, string? ServiceId, string? How, DateOnly? MadeOn = null, DateOnly? CheckInOn = null);

/// <summary>What became of a referral (<c>POST /api/cases/{reference}/referrals/{id}/uptake</c>): uptake (not-known, taken-up,
/// not-taken-up), helped (yes, partly, no; optional) and a note (at most 5,000 characters, sealed, optional).</summary>
public sealed record UptakeRequest(string? Uptake, string? Helped = null, string? Note = null);
