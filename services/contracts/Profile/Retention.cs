namespace Harbour.Contracts;

// How long a kind of report is kept, counted from submission, or from closure when AfterClosure is set.
public sealed record Retention
{
    public string Kind { get; init; } = "";
    public int Months { get; init; }
    public bool AfterClosure { get; init; }
}
