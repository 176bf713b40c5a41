namespace Harbour.Contracts;

// The sealed part of ReportSubmitted (its SealedDetails), opened only by intake and cases.
public sealed record ReportDetails(
    string Description,
    DateOnly? OccurredOn,
    string? OccurredWhen,
    string? ContactName,
    string? ContactEmail,
    string? ContactPhone,
    string? Relation = null,
    IReadOnlyList<string>? PeopleInvolved = null,
    string? HowMany = null,
    string? PreferredContact = null,
    string? ContactTimes = null,
    bool? SafeToLeaveMessage = null,
    string? MeetingFormat = null,
    string? MeetingTimes = null);
