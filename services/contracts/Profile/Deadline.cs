namespace Harbour.Contracts;

// How many working days a step of the response may take; Kind empty means every kind of report.
public sealed record Deadline
{
    public string Step { get; init; } = "";
    public string? Kind { get; init; }
    public int WorkingDays { get; init; }
}
