namespace Harbour.Contracts;

/// <summary>How long a kind of report is kept (UK GDPR Article 5(1)(e), storage limitation), counted from submission, or from
/// closure when AfterClosure is set. Kind: a report kind id (anonymous, named, meeting). Outcome: null for the kind's own rule;
/// else an outcome id of the profile, and the rule (then counted from closure) takes the place of the kind's own for a case
/// closed with that outcome. Months: 1 to 240, calendar months from the UK date counted from. At most one rule per kind and
/// outcome.</summary>
public sealed record Retention
{
    public string Kind { get; init; } = "";
    public string? Outcome { get; init; }
    public int Months { get; init; }
    public bool AfterClosure { get; init; }
}
