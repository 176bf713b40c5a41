using Harbour.Contracts;

namespace Harbour.Profile;

public sealed record DueDate(string Step, int WorkingDays, DateOnly Due);

public static class WorkingDays
{
    // The date by which a step is due: the nth working day after the day of submission (UK time), not counting
    // weekends, bank holidays or closure days.
    public static DateOnly After(DateTimeOffset start, int days, IReadOnlyList<Closure> closures)
    {
        var date = DateOnly.FromDateTime(start.InUk().DateTime);
        while (days > 0)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(date, closures)) days--;
        }
        return date;
    }

    public static bool IsWorkingDay(DateOnly date, IReadOnlyList<Closure> closures) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !closures.Any(c => date >= c.From && date <= c.To);

    // The deadlines that apply to a kind of report: one for the kind itself wins over one for every kind.
    public static IEnumerable<Deadline> DeadlinesFor(this InstitutionProfile profile, string kind) =>
        profile.Deadlines
            .Where(d => d.Kind is null || d.Kind == kind)
            .GroupBy(d => d.Step)
            .Select(step => step.OrderBy(d => d.Kind is null).First());

    // When each step of the response to a report of this kind, sent at that moment, is due: soonest first.
    public static List<DueDate> DueDatesFor(this InstitutionProfile profile, string kind, DateTimeOffset submittedAt) =>
        profile.DeadlinesFor(kind)
            .Select(d => new DueDate(d.Step, d.WorkingDays, After(submittedAt, d.WorkingDays, profile.Closures)))
            .OrderBy(d => d.Due)
            .ToList();
}
