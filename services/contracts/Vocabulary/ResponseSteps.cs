namespace Harbour.Contracts;

// The steps of the response to a report that deadlines are set for (Deadline.Step): triage (a case manager has read and
// routed it) and first contact (the reporter has heard from them). An institution may add its own steps; they read as written.
public static class ResponseSteps
{
    public const string Triage = "triage", FirstContact = "first-contact";
    public static readonly Terms Terms = new(new(Triage, "Triage"), new(FirstContact, "First contact"));

    public static string Label(string step) =>
        Terms.Has(step) ? Terms.Label(step) : step.Length == 0 ? step : char.ToUpperInvariant(step[0]) + step[1..].Replace('-', ' ');
}
