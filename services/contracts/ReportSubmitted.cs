namespace Harbour.Contracts;

// A report was accepted and acknowledged to its reporter. What is safe to share travels in the clear
// (no narrative, no identity); the description and contact details travel in SealedDetails, which only
// intake and cases can open.
public sealed record ReportSubmitted
{
    public required Guid ReportId { get; init; }
    public required string Reference { get; init; }
    public required string Kind { get; init; }
    public required IReadOnlyList<string> Categories { get; init; }
    public required string Location { get; init; }
    public required string ReporterRole { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }
    public required string SealedDetails { get; init; }
}
