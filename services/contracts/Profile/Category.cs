namespace Harbour.Contracts;

// A kind of incident, and the case managers' specialism that handles it.
public sealed record Category
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Specialism { get; init; }
}
