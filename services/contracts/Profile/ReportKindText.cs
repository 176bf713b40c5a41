namespace Harbour.Contracts;

// How the institution explains one of the three ways to report: anonymous, named or meeting.
public sealed record ReportKindText
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Description { get; init; }
}
