namespace Harbour.Intake.FollowUp;

// One message between a reporter and their case manager, as intake keeps it for the follow-up page. Its id is
// the message's own, so a redelivered event or a repeated post stores it once.
public sealed class ConversationMessage
{
    public const string FromReporter = "reporter", FromCaseManager = "case-manager";

    public Guid Id { get; init; }
    public Guid ReportId { get; init; }
    public required string From { get; init; }
    public required string SealedBody { get; init; }
    public DateTimeOffset At { get; init; }
}

public sealed record ConversationLine(string From, string Body, DateTimeOffset At);

// Files: the names of the files the reporter has sent (evidence-1.jpg...), with the report or later.
public sealed record FollowUpView(string Reference, string Kind, string Status, string StatusText, DateTimeOffset SubmittedAt,
    IReadOnlyList<ConversationLine> Messages, IReadOnlyList<string> Files);

public static class ReporterStatus
{
    // The words a reporter reads for each status cases sends.
    public static string Describe(string status) => status switch
    {
        "with-case-manager" => "A case manager is working on your report.",
        "action-taken" => "Action has been taken. Your case manager may still write to you here.",
        "closed" => "Your report is closed. You can still read the conversation.",
        _ => "Received. A case manager will read it soon.",
    };
}
