namespace Harbour.Contracts;

// One entry of the support directory. Categories empty means it helps with every kind of incident.
public sealed record SupportService
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public bool Internal { get; init; }
    public IReadOnlyList<string> Serves { get; init; } = [];
    public string HelpsWith { get; init; } = "";
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public string? Website { get; init; }
    public string? Hours { get; init; }
    public bool Urgent { get; init; }
    public IReadOnlyList<string> Categories { get; init; } = [];
}
