namespace Harbour.Analytics.Counts;

// How many reports fell on one value of one dimension in one month. Nothing here names a person.
public sealed class ReportCount
{
    public required DateOnly Month { get; init; }
    public required string Dimension { get; init; }
    public required string Value { get; init; }
    public int Count { get; init; }
}

// The reports already counted, so that a redelivered event is not counted twice. Only the id.
public sealed class CountedReport
{
    public required Guid ReportId { get; init; }
    public DateTimeOffset CountedAt { get; init; }
}

public static class Dimensions
{
    public const string All = "all", Category = "category", Kind = "kind", Location = "location", ReporterRole = "reporter-role", Channel = "channel";
}
