namespace Harbour.Contracts;

// A building on a campus; a place without a campus stands alone ("Online", "Off campus").
public sealed record Place
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Campus { get; init; }
}
