namespace Harbour.Contracts;

// How a case may end.
public sealed record Outcome
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
}
