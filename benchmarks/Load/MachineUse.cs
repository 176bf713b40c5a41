using System.Text;
using static Harbour.Benchmarks.Load.Requests;

namespace Harbour.Benchmarks.Load;

// Memory, CPU and start-up seen across the figures, for the part that reports them.
public sealed class MachineUse
{
    Dictionary<string, ProcessMemory> idleMemory = [];
    // The most each service held under load, and the most the five held together at one moment (RSS and PSS).
    readonly Dictionary<string, ProcessMemory> loadedMemory = HarbourUnderLoad.Services.ToDictionary(s => s, _ => new ProcessMemory(0, 0, 0));
    long loadedResident, loadedProportional;
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
        idleMemory = HarbourUnderLoad.Services.ToDictionary(s => s, harbour.Memory);
    }

    // The most memory each service has held so far under load.
    public void SampleUnderLoad(HarbourUnderLoad harbour)
    {
        var now = HarbourUnderLoad.Services.ToDictionary(s => s, harbour.Memory);
        foreach (var (service, memory) in now)
            loadedMemory[service] = new(Math.Max(loadedMemory[service].Resident, memory.Resident),
                Math.Max(loadedMemory[service].Proportional, memory.Proportional), Math.Max(loadedMemory[service].Launcher, memory.Launcher));
        loadedResident = Math.Max(loadedResident, now.Values.Sum(m => m.Resident));
        loadedProportional = Math.Max(loadedProportional, now.Values.Sum(m => m.Proportional));
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

            Goal: the five services together under 1 GB resident under load. Memory of each service's own process, in MiB:
            idle is twenty seconds after start; under load is the most seen at the end of any load step. RSS (resident set)
            counts every page a process holds, the pages of the runtime and framework files it shares with the other four
            included, so adding up RSS counts those pages up to five times. PSS (proportional set) gives each process its
            share of a shared page: the sum of PSS at one moment is what the five take from the machine together, and is the
            figure to hold against the goal. The "all five" row under load is the most seen at one moment, not the sum of
            each service's most.

            | service | idle RSS | idle PSS | under load RSS | under load PSS |
            |---|--:|--:|--:|--:|

            """);
        foreach (var service in HarbourUnderLoad.Services)
        {
            var (idle, loaded) = (idleMemory.GetValueOrDefault(service) ?? new(0, 0, 0), loadedMemory[service]);
            text.AppendLine($"| {service} | {Megabytes(idle.Resident)} | {Megabytes(idle.Proportional)} | {Megabytes(loaded.Resident)} | {Megabytes(loaded.Proportional)} |");
        }
        text.AppendLine($"| **all five** | **{Megabytes(idleMemory.Values.Sum(m => m.Resident))}** | **{Megabytes(idleMemory.Values.Sum(m => m.Proportional))}** "
            + $"| **{Megabytes(loadedResident)}** | **{Megabytes(loadedProportional)}** |");
        text.AppendLine().AppendLine("Aspire starts each service with `dotnet run`, which stays alive as the service's parent: at idle the five "
            + $"launchers held another {Megabytes(idleMemory.Values.Sum(m => m.Launcher))} MiB resident (RSS). They are Aspire's way of running "
            + "projects, not part of the services, but `./harbour run` pays for them.");
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
