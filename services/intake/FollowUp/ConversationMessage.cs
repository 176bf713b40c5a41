using Harbour.ServiceDefaults.Security;

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
    // Set when the case team redacted the message (CaseContentRedacted): its text is gone for good.
    public DateTimeOffset? RemovedAt { get; init; }

    public ConversationLine Line(Sealer sealer) => new(From, RemovedAt is null ? sealer.Open<string>(SealedBody) : "", At, RemovedAt);
}

/// <summary>A message of the conversation on the follow-up page: From (reporter or case-manager), Body (plain text; empty once
/// removed), At (UTC) and RemovedAt (UTC, when the case team redacted it; null otherwise).</summary>
public sealed record ConversationLine(string From, string Body, DateTimeOffset At, DateTimeOffset? RemovedAt = null);

// Files: the names of the files the reporter has sent (evidence-1.jpg...), with the report or later. Suggested: the ids of the
// support services (the institution profile's directory, as /support lists them) their case manager suggested, oldest first.
// Meetings: those arranged with them, soonest first.
public sealed record FollowUpView(string Reference, string Kind, string Status, string StatusText, DateTimeOffset SubmittedAt,
    IReadOnlyList<ConversationLine> Messages, IReadOnlyList<string> Files, IReadOnlyList<string> Suggested, IReadOnlyList<MeetingLine> Meetings);
