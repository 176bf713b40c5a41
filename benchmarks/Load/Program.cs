using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Harbour.Benchmarks;
using Harbour.Benchmarks.Load;

// The whole system under load, each figure measured side by side in one run, written to the "load" part of
// docs/benchmarks.md. Needs the test servers (the HARBOUR_TEST_* variables ./harbour bench sets, or a container runtime).
// Arguments name figures to run alone (flood, gateway, reports, end-to-end, pages, analytics; backlog, which end-to-end
// also runs): each figure rewrites only
// its own part of the document (load:flood, load:gateway...), and memory and start-up are written by full runs only.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
bool Wanted(string figure) => args.Length == 0 || args.Contains(figure);
// The submission budgets, raised by configuration, so that they do not stop a measurement of capacity.
string[] budgetsRaised = ["Services:Reports:SubmissionsPerMinute=100000000", "Services:Gateway:SubmissionsPerClientPerMinute=100000000"];

var configuration = typeof(HarbourUnderLoad).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "unknown";
var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim();
var about = new StringBuilder($"""
    ## The whole system under load

    Written by `./harbour bench` (or `dotnet run -c Release --project benchmarks/Load` with the test servers running) on
    the dates and on the machine each figure gives: {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription},
    .NET {Environment.Version}. The load generator, the five services (started by the AppHost) and
    PostgreSQL, RabbitMQ and smtp4dev all run on this one machine, so every figure includes the generator's own work.
    Requests start at a fixed rate whether or not earlier ones were answered (an open arrival model) and each is timed
    from when it was due, so waiting is never hidden. Latencies are in milliseconds, from an HDR histogram; errors are
    counted apart and never in the percentiles. Each figure says when it was measured, with which builds, and any
    setting the services ran with that is not as shipped.

    """);

var machine = new MachineUse();
var measured = $"_Measured on {DateTime.UtcNow:d MMMM yyyy} ({cpu ?? "unknown CPU"}), {configuration} builds"
    + (HarbourUnderLoad.ServiceEnvironment is { } settings ? $"; **not as shipped**: every service ran with `{settings}`._" : "._");
// Each figure replaces its own part when it is done, so a run that fails part-way loses nothing already written.
BenchmarksDoc.Write("load:about", about.ToString());

async Task FigureAsync(string name, Func<Task<string>> measure) =>
    Console.WriteLine($"Wrote {name} to {BenchmarksDoc.Write($"load:{name}", (await measure()).TrimEnd() + "\n\n" + measured)}");

if (Wanted("flood")) await FigureAsync("flood", () => FloodingSender.MeasureAsync(machine));
if (new[] { "gateway", "reports", "end-to-end", "pages", "analytics" }.Any(Wanted))
{
    await using var harbour = await HarbourUnderLoad.StartAsync("load_open", budgetsRaised);
    machine.Started("budgets raised", harbour);
    await machine.IdleAsync(harbour);
    await harbour.WarmUpAsync(submitting: true);
    if (Wanted("gateway")) await FigureAsync("gateway", () => GatewayOverhead.MeasureAsync(harbour));
    // Before the reports figure, whose last step is past what the machine holds: the emails it leaves queued (and the mail
    // catcher's store, which grows slower with every email) would be in this figure's way.
    if (Wanted("end-to-end")) await FigureAsync("end-to-end", () => EndToEnd.FollowAsync(harbour));
    if (Wanted("reports")) await FigureAsync("reports", () => ReportsPerSecond.MeasureAsync(harbour, machine));
    if (Wanted("pages")) await FigureAsync("pages", () => BigDatabase.MeasureAsync(harbour));
    if (Wanted("analytics")) await FigureAsync("analytics", () => BigAnalytics.MeasureAsync(harbour));
}
if (Wanted("end-to-end") || Wanted("backlog")) await FigureAsync("backlog", () => EndToEnd.BacklogAsync(budgetsRaised));
if (args.Length == 0)
{
    await machine.RunCommandAsync();
    await FigureAsync("machine", () => Task.FromResult(machine.Describe()));
}
