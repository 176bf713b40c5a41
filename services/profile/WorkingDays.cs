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

    // Bank holidays and closures are listed a year or two ahead; past the last one every weekday would count as a
    // working day, and deadlines would fall on Christmas. Within six months of it, admins are told (the profile page,
    // and cases' health as Degraded). Null while the list reaches further.
    public static string? ClosuresRunningOut(IReadOnlyList<Closure> closures, DateOnly today)
    {
        var last = closures.Count == 0 ? (DateOnly?)null : closures.Max(c => c.To);
        if (last >= today.AddMonths(6)) return null;
        return last is { } end
            ? $"The bank holidays and closures in the profile end on {end:d MMMM yyyy}. Add the next year's, or deadlines after that will count them as working days."
            : "The profile lists no bank holidays or closures. Add them, or deadlines will count them as working days.";
    }

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
