namespace Harbour.Contracts;

// The actions a case manager is offered for a category.
public sealed record Playbook
{
    public string Category { get; init; } = "";
    public IReadOnlyList<string> Actions { get; init; } = [];
}
