namespace Harbour.Contracts;

// Days that are not working days: bank holidays and the institution's closure days.
public sealed record Closure
{
    public string Name { get; init; } = "";
    public DateOnly From { get; init; }
    public DateOnly To { get; init; }
}
