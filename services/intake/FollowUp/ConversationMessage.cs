namespace Harbour.Intake.FollowUp;

// One message between a reporter and their case manager, as intake keeps it for the follow-up page. Its id is
// the message's own, so a redelivered event or a repeated post stores it once.
public sealed class ConversationMessage
{
    public Guid Id { get; init; }
    public Guid ReportId { get; init; }
    public required string From { get; init; }
    public required string SealedBody { get; init; }
    public DateTimeOffset At { get; init; }
}

public sealed record ConversationLine(string From, string Body, DateTimeOffset At);

// Files: the names of the files the reporter has sent (evidence-1.jpg...), with the report or later. Suggested: the ids of the
// support services (the institution profile's directory, as /support lists them) their case manager suggested, oldest first.
// Meetings: those arranged with them, soonest first.
public sealed record FollowUpView(string Reference, string Kind, string Status, string StatusText, DateTimeOffset SubmittedAt,
    IReadOnlyList<ConversationLine> Messages, IReadOnlyList<string> Files, IReadOnlyList<string> Suggested, IReadOnlyList<MeetingLine> Meetings);
