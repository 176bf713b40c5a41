namespace Harbour.Contracts;

// The sealed part of ReportSubmitted (its SealedDetails), opened only by intake and cases.
public sealed record ReportDetails(
    string Description,
    DateOnly? OccurredOn,
    string? OccurredWhen,
    string? ContactName,
    string? ContactEmail,
    string? ContactPhone);
