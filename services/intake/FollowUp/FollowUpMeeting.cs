namespace Harbour.Intake.FollowUp;

// A meeting the case manager arranged, as the reporter sees it on the follow-up page: the latest version of it (sequence)
// wins, so a move or a cancellation that overtakes an earlier message is not undone by it.
public sealed class FollowUpMeeting
{
    public Guid Id { get; init; }
    public Guid ReportId { get; init; }
    public int Sequence { get; init; }
    public DateTimeOffset StartsAt { get; init; }
    public int Minutes { get; init; }
    public required string Format { get; init; }
    public string? Where { get; init; }
    public required string With { get; init; }
    public bool Cancelled { get; init; }
}

/// <summary>A meeting on the follow-up page: when (UTC; shown in UK time), minutes, format (a MeetingFormats code), where, the
/// case manager's name, and whether it is cancelled.</summary>
public sealed record MeetingLine(DateTimeOffset StartsAt, int Minutes, string Format, string? Where, string With, bool Cancelled);
