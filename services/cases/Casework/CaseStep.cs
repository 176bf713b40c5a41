using Harbour.Contracts;
using Harbour.Profile;

namespace Harbour.Cases.Casework;

// A step of the response with a deadline (triage, first contact, and any the profile adds), as a clock: due on a UK date
// (working days from the report, under the profile version the case was opened under), then met (when, by whom, how) or
// breached (the day after it was due, unmet; raised once).
public sealed class CaseStep
{
    public Guid CaseId { get; private init; }
    public required string Step { get; init; }
    public DateOnly DueOn { get; private init; }
    public int WorkingDays { get; private init; }
    public DateTimeOffset? MetAt { get; private set; }
    public string? MetBy { get; private set; }
    // How first contact was made (FirstContactMethods); null for other steps.
    public string? How { get; private set; }
    // When the deadline watch found it passed unmet (and told the people responsible: SlaBreached).
    public DateTimeOffset? BreachedAt { get; private set; }

    public static IEnumerable<CaseStep> For(Case c, InstitutionProfile profile) =>
        profile.DueDatesFor(c.Kind, c.SubmittedAt).Select(due => new CaseStep { CaseId = c.Id, Step = due.Step, DueOn = due.Due, WorkingDays = due.WorkingDays });

    public bool Meet(string by, string? how, TimeProvider clock)
    {
        if (MetAt is not null) return false;
        (MetAt, MetBy, How) = (clock.GetUtcNow(), by, how);
        return true;
    }

    // due, met (on time or late), or overdue, as of today in the UK.
    public string State(TimeProvider clock) =>
        MetAt is { } met ? (DateOnly.FromDateTime(met.InUk().DateTime) <= DueOn ? "met" : "met late")
        : UkTime.Today(clock) > DueOn ? "overdue" : "due";
}
