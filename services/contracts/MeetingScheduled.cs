namespace Harbour.Contracts;

/// <summary>When, how and with whom a meeting with the reporter takes place, as its invitations say it.</summary>
/// <param name="StartsAt">When it starts (UTC); shown in UK time.</param>
/// <param name="Minutes">How long, in minutes (15 to 240).</param>
/// <param name="Format">A code of <see cref="ReportAnswers.MeetingFormats"/>: in-person, online or phone.</param>
/// <param name="Where">For in person, the place; online, the link (https); by phone, who calls whom (optional). At most 500
/// characters.</param>
/// <param name="CaseManager">The staff member the reporter meets: their work address and display name.</param>
/// <param name="SealedReporter">The reporter's address and name (a <see cref="Recipient"/>) sealed with the mail key
/// (Harbour:MailKey, held by cases and notifications only), only when they reported by name, chose email, and said it is safe
/// to contact them; null otherwise (they see the meeting on their follow-up page).</param>
/// <param name="Institution">The institution's name.</param>
public sealed record MeetingDetails(DateTimeOffset StartsAt, int Minutes, string Format, string? Where, Recipient CaseManager, string? SealedReporter,
    string Institution);

/// <summary>A meeting with the reporter was arranged, or moved (a higher <see cref="Sequence"/>). Published by cases through its
/// outbox as a secret row (it can hold the reporter's address); consumed by notifications, which emails the case manager and,
/// when given, the reporter an iCalendar invitation (RFC 5545, METHOD:REQUEST, the same UID for every version), once per
/// meeting, sequence and person; and by intake, which shows it on the reporter's follow-up page (the latest sequence wins).</summary>
/// <param name="MeetingId">The meeting's id (UUID v7): the invitation's UID.</param>
/// <param name="ReportId">intake's id of the report.</param>
/// <param name="Reference">The case's reference, <c>HR-yyyy-nnnnnn</c>.</param>
/// <param name="Sequence">0 when first arranged, one more at each move (the iCalendar SEQUENCE).</param>
/// <param name="Meeting">When, how and with whom.</param>
/// <param name="Replaced">The staff member the reporter was to meet before this move, when it changed: they are sent the
/// cancellation; null otherwise.</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Intake, ServiceNames.Notifications)]
public sealed record MeetingScheduled(Guid MeetingId, Guid ReportId, string Reference, int Sequence, MeetingDetails Meeting, Recipient? Replaced = null);

/// <summary>A meeting with the reporter was called off. Published and consumed as <see cref="MeetingScheduled"/>; notifications
/// sends METHOD:CANCEL with the next sequence, and the follow-up page shows the meeting as cancelled.</summary>
/// <param name="MeetingId">The meeting's id.</param>
/// <param name="ReportId">intake's id of the report.</param>
/// <param name="Reference">The case's reference.</param>
/// <param name="Sequence">The meeting's sequence after the cancellation.</param>
/// <param name="Meeting">The meeting that was called off, as it last stood.</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Intake, ServiceNames.Notifications)]
public sealed record MeetingCancelled(Guid MeetingId, Guid ReportId, string Reference, int Sequence, MeetingDetails Meeting);

/// <summary>After a meeting with the reporter, the case manager recorded whether it was held, for analytics (meetings held):
/// published by cases once per meeting; carries no note, place, reference or name.</summary>
/// <param name="MeetingId">The meeting's id (MeetingScheduled.MeetingId): the key it is counted once by.</param>
/// <param name="ReportId">intake's id of the report the case was opened for.</param>
/// <param name="Held">True when it was held; false when the reporter did not come.</param>
/// <param name="Format">A code of <see cref="ReportAnswers.MeetingFormats"/>: in-person, online or phone.</param>
/// <param name="StartsAt">When it was to start (UTC).</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Analytics)]
public sealed record MeetingRecorded(Guid MeetingId, Guid ReportId, bool Held, string Format, DateTimeOffset StartsAt);
