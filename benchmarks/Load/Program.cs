using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Harbour.Benchmarks;
using Harbour.Benchmarks.Load;

// The whole system under load, each figure measured side by side in one run, written to the "load" part of
// docs/benchmarks.md. Needs the test servers (the HARBOUR_TEST_* variables ./harbour bench sets, or a container runtime).
// Arguments name figures to run alone (flood, gateway, reports, end-to-end, pages, start-up): their text is printed, and the document left as it is.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
bool Wanted(string figure) => args.Length == 0 || args.Contains(figure);
// The submission budgets, raised by configuration, so that they do not stop a measurement of capacity.
string[] budgetsRaised = ["Services:Reports:SubmissionsPerMinute=100000000", "Services:Gateway:SubmissionsPerClientPerMinute=100000000"];

var configuration = typeof(HarbourUnderLoad).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "unknown";
var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim();
var doc = new StringBuilder($"""
    ## The whole system under load

    Written by `./harbour bench` (or `dotnet run -c Release --project benchmarks/Load` with the test servers running) on
    {DateTime.UtcNow:d MMMM yyyy}. Machine: {cpu ?? "unknown CPU"}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription},
    .NET {Environment.Version}. The load generator, the five services ({configuration} builds, started by the AppHost) and
    PostgreSQL, RabbitMQ and smtp4dev all run on this one machine, so every figure includes the generator's own work.
    Requests start at a fixed rate whether or not earlier ones were answered (an open arrival model) and each is timed
    from when it was due, so waiting is never hidden. Latencies are in milliseconds, from an HDR histogram; errors are
    counted apart and never in the percentiles.{(HarbourUnderLoad.ServiceEnvironment is { } settings ? $"\n\n**Not as shipped:** every service ran with `{settings}`." : "")}

    """);

doc.AppendLine();
var machine = new MachineUse();
if (Wanted("flood")) doc.AppendLine(await FloodingSender.MeasureAsync(machine));
if (new[] { "gateway", "reports", "end-to-end", "pages" }.Any(Wanted))
{
    await using var harbour = await HarbourUnderLoad.StartAsync("load_open", budgetsRaised);
    machine.Started("budgets raised", harbour);
    await machine.IdleAsync(harbour);
    await harbour.WarmUpAsync(submitting: true);
    if (Wanted("gateway")) doc.AppendLine(await GatewayOverhead.MeasureAsync(harbour));
    if (Wanted("reports")) doc.AppendLine(await ReportsPerSecond.MeasureAsync(harbour, machine));
    if (Wanted("end-to-end")) doc.AppendLine(await EndToEnd.FollowAsync(harbour));
    if (Wanted("pages")) doc.AppendLine(await BigDatabase.MeasureAsync(harbour));
}
if (Wanted("end-to-end")) doc.AppendLine(await EndToEnd.BacklogAsync(budgetsRaised));
if (Wanted("start-up")) await machine.RunCommandAsync();
doc.AppendLine(machine.Describe());

Console.WriteLine(args.Length == 0 ? $"Wrote {BenchmarksDoc.Write("load", doc.ToString())}" : doc.ToString());
