using BenchmarkDotNet.Attributes;
using Harbour.Contracts;
using Harbour.Profile;

namespace Harbour.Benchmarks;

// Deadlines in working days: ten working days from a report sent on the Friday before the Christmas closure (weekends,
// bank holidays and the default profile's closure days skipped, in UK time), against adding ten calendar days; and
// every step's due date for a report, as the cases service works them out when a case opens.
public class WorkingDaysBenchmarks
{
    static readonly InstitutionProfile Profile = DefaultProfile.Value;
    readonly DateTimeOffset submitted = new(2026, 12, 18, 16, 30, 0, TimeSpan.Zero);

    [Benchmark(Baseline = true)]
    public DateOnly TenCalendarDays() => DateOnly.FromDateTime(submitted.InUk().DateTime).AddDays(10);

    [Benchmark]
    public DateOnly TenWorkingDays() => WorkingDays.After(submitted, 10, Profile.Closures);

    [Benchmark]
    public List<DueDate> DueDatesOfAReport() => Profile.DueDatesFor("named", submitted);
}
