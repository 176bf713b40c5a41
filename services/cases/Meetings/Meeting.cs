using Harbour.Contracts;

namespace Harbour.Cases.Meetings;

// A meeting with the reporter: when (UTC), how long, how (in person, online, phone) and where, with which staff member; moved
// meetings keep their id and count up their sequence (the invitations' SEQUENCE). Afterwards: held or missed, a sealed note.
public sealed class Meeting
{
    public Guid Id { get; init; }
    public Guid CaseId { get; init; }
    public int Sequence { get; set; }
    public DateTimeOffset StartsAt { get; set; }
    public int Minutes { get; set; }
    public required string Format { get; set; }
    public string? Where { get; set; }
    public required string WithId { get; set; }
    // Whether the reporter is sent the invitations (only ever when they gave an address, chose email and said it is safe).
    public bool EmailReporter { get; init; } = true;
    public string Status { get; set; } = MeetingStatuses.Scheduled;
    public string? SealedNote { get; set; }
    public required string ArrangedBy { get; init; }
    public DateTimeOffset ArrangedAt { get; init; }
    // PostgreSQL's row version (xmin): two people moving or recording the same meeting at once cannot both win.
    public uint Version { get; private set; }
}

/// <summary>Where a meeting stands: scheduled, cancelled, held (the reporter came) or missed (they did not).</summary>
public static class MeetingStatuses
{
    public const string Scheduled = "scheduled", Cancelled = "cancelled", Held = "held", Missed = "missed";
    public static readonly Terms Terms = new(new(Scheduled, "Scheduled"), new(Cancelled, "Cancelled"), new(Held, "Held"), new(Missed, "The reporter did not come"));
}

/// <summary>A meeting as a case manager reads it on the case (Work.Meetings): when (UTC; shown in UK time), minutes, format (a
/// MeetingFormats code), where, with whom (staff account id and display name, and whether they may still work on the case),
/// whether the reporter is sent its invitations (ReporterEmailed),
/// status (a MeetingStatuses code), the note after it, and the sequence (0 when first arranged, one more at each move or
/// cancellation: send it back with a move).</summary>
public sealed record MeetingView(Guid Id, DateTimeOffset StartsAt, int Minutes, string Format, string? Where, string WithId, string With,
    string Status, string? Note, int Sequence, bool WithMayWork = true, bool ReporterEmailed = false);

/// <summary>A meeting to arrange, or to move (<c>POST /api/cases/{reference}/meetings</c>): MeetingId (a UUID the caller makes;
/// an existing scheduled meeting of the case is moved, and the same details sent again change nothing), Date (yyyy-MM-dd) and
/// Time (HH:mm), UK time, in the future; Minutes, 15 to 240 (60 if left out); Format: in-person (Where: the place), online
/// (Where: an https link) or phone (Where optional); WithId: the staff account the reporter meets, someone who may see the case
/// (whoever has it, or the caller, if left out). Sequence: to move a meeting, the sequence it had when the form was shown (a
/// move made meanwhile by someone else is refused rather than overwritten); left out, the request arranges the meeting, and the
/// same id sent again with other details is refused. Where is one line, at most 500 characters; the date at most a year ahead.
/// EmailReporter: whether the reporter is sent the invitations (true if left out), which happens only when they gave an address,
/// chose email and said it is safe to contact them; decided when the meeting is arranged.</summary>
public sealed record MeetingRequest(Guid? MeetingId, DateOnly? Date, string? Time, int? Minutes, string? Format, string? Where, string? WithId = null,
    int? Sequence = null, bool? EmailReporter = null);

/// <summary>What happened at a meeting (<c>POST /api/cases/{reference}/meetings/{id}/record</c>): attended (the reporter came)
/// or not, required; a note (at most 5,000 characters, sealed); agreed: what was agreed, one action a line (each becomes a task for the
/// staff member met, due in 5 working days; at most 10 lines of 200 characters).</summary>
public sealed record MeetingRecord(bool? Attended, string? Note = null, string? Agreed = null);
