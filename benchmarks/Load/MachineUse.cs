using System.Text;
using static Harbour.Benchmarks.Load.Requests;

namespace Harbour.Benchmarks.Load;

// Memory, CPU and start-up seen across the figures, for the part that reports them.
public sealed class MachineUse
{
    readonly Dictionary<string, long> idleMemory = [];
    readonly Dictionary<string, long> loadedMemory = HarbourUnderLoad.Services.ToDictionary(s => s, _ => 0L);
    readonly List<(string System, TimeSpan In)> startUps = [];
    (TimeSpan? Healthy, string? Failure)? runCommand;
    Dictionary<string, double> idleCpu = [];

    public void Started(string system, HarbourUnderLoad harbour) => startUps.Add((system, harbour.StartedIn));

    public async Task RunCommandAsync() => runCommand = await StartUp.MeasureAsync();

    // Memory and CPU of a system nobody uses yet: health checks, telemetry and polling only.
    public async Task IdleAsync(HarbourUnderLoad harbour)
    {
        await Task.Delay(TimeSpan.FromSeconds(5));
        idleCpu = await CpuSharesAsync(harbour, () => Task.Delay(TimeSpan.FromSeconds(15)));
        foreach (var service in HarbourUnderLoad.Services) idleMemory[service] = harbour.ResidentBytes(service);
    }

    // The most memory each service has held so far under load.
    public void SampleUnderLoad(HarbourUnderLoad harbour)
    {
        foreach (var service in HarbourUnderLoad.Services)
            loadedMemory[service] = Math.Max(loadedMemory[service], harbour.ResidentBytes(service));
    }

    // Who used the machine's CPU while work ran, as shares of all its cores.
    public static async Task<Dictionary<string, double>> CpuSharesAsync(HarbourUnderLoad harbour, Func<Task> work)
    {
        var before = harbour.CpuTicks();
        await work();
        return harbour.CpuTicks().SharesSince(before);
    }

    public static string CpuTable(Dictionary<string, double> shares)
    {
        var table = new StringBuilder("| process | CPU |\n|---|--:|\n");
        foreach (var (user, share) in shares.Where(u => u.Value >= 0.005).OrderByDescending(u => u.Value))
            table.AppendLine($"| {user} | {Percent(share)} |");
        table.AppendLine($"| **all** | **{Percent(shares.Values.Sum())}** |");
        return table.ToString();
    }

    public string Describe()
    {
        var text = new StringBuilder("""
            ### Memory and start-up

            Goal: the five services together under 1 GB resident under load. Resident memory (VmRSS) of each service's own
            process, in MiB: idle is twenty seconds after start; under load is the most seen at the end of any load step.

            | service | idle | under load |
            |---|--:|--:|

            """);
        foreach (var service in HarbourUnderLoad.Services)
            text.AppendLine($"| {service} | {Megabytes(idleMemory.GetValueOrDefault(service))} | {Megabytes(loadedMemory[service])} |");
        text.AppendLine($"| **all five** | **{Megabytes(idleMemory.Values.Sum())}** | **{Megabytes(loadedMemory.Values.Sum())}** |");
        text.AppendLine().AppendLine("CPU at idle (fifteen seconds with nobody using the system), as shares of all cores: "
            + string.Join(", ", idleCpu.Where(u => u.Value >= 0.001).OrderByDescending(u => u.Value).Select(u => $"{u.Key} {Percent(u.Value)}")) + ".");
        text.AppendLine().AppendLine("Goal: a healthy gateway within 60 seconds of the run command on a built tree. From `./harbour run` (local mode, "
            + "fresh data: PostgreSQL and RabbitMQ start from nothing) to the gateway's /health answering 200: "
            + (runCommand switch
            {
                ({ } took, _) => $"**{took.TotalSeconds:0.0} s**.",
                (_, var failure) => $"**not reached**: {failure}.",
                null => "not measured in this run.",
            }));
        text.AppendLine().AppendLine("From asking the AppHost to start the five services (servers already running, tree built) to all five healthy: "
            + string.Join("; ", startUps.Select(s => $"{s.System} {s.In.TotalSeconds:0.0} s")) + ".");
        return text.ToString();
    }
}
