using Harbour.Contracts;

namespace Harbour.Cases.Cases;

public sealed record SuggestedActions(string Category, IReadOnlyList<string> Actions);

public sealed record CaseDeadline(string Step, int WorkingDays, DateOnly Due);

// What the profile a case was opened under asks of its case manager: the playbook actions for its categories
// and the date each step of the response is due, in working days.
public sealed record CasePlan(int ProfileVersion, IReadOnlyList<string> CategoryNames, IReadOnlyList<SuggestedActions> Actions,
    IReadOnlyList<CaseDeadline> Deadlines)
{
    public static CasePlan For(CaseSummary summary, int version, InstitutionProfile profile)
    {
        string NameOf(string category) => profile.Categories.FirstOrDefault(c => c.Id == category)?.Name ?? category;
        var actions = summary.Categories
            .Select(category => profile.Playbooks.FirstOrDefault(p => p.Category == category))
            .OfType<Playbook>()
            .Select(playbook => new SuggestedActions(NameOf(playbook.Category), playbook.Actions))
            .ToList();
        // A deadline for the case's own kind wins over one for every kind.
        var deadlines = profile.Deadlines
            .Where(d => d.Kind is null || d.Kind == summary.Kind)
            .GroupBy(d => d.Step)
            .Select(step => step.OrderBy(d => d.Kind is null).First())
            .Select(d => new CaseDeadline(d.Step, d.WorkingDays, WorkingDays.After(summary.SubmittedAt, d.WorkingDays, profile.Closures)))
            .OrderBy(d => d.Due)
            .ToList();
        return new CasePlan(version, summary.Categories.Select(NameOf).ToList(), actions, deadlines);
    }
}

public static class WorkingDays
{
    static readonly TimeZoneInfo UkTime = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    // The date by which a step is due: the nth working day after the day of submission (UK time), not
    // counting weekends, bank holidays or closure days.
    public static DateOnly After(DateTimeOffset start, int days, IReadOnlyList<Closure> closures)
    {
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, UkTime).DateTime);
        while (days > 0)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(date, closures)) days--;
        }
        return date;
    }

    public static bool IsWorkingDay(DateOnly date, IReadOnlyList<Closure> closures) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !closures.Any(c => date >= c.From && date <= c.To);
}
