using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Harbour.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Harbour.Benchmarks.Load;

// The whole system as the AppHost starts it (five services, Release builds when the suite runs with -c Release), on
// the test servers, with databases and a broker virtual host of its own.
public sealed class HarbourUnderLoad : IAsyncDisposable
{
    public static readonly string[] Services = ["gateway", "intake", "cases", "notifications", "analytics"];
    public const string AdminEmail = "admin@harbour.test", AdminPassword = "load suite admin passphrase";

    // Settings given to every service for this run (HARBOUR_BENCH_SERVICE_ENV), or null when they run as shipped.
    public static string? ServiceEnvironment => Environment.GetEnvironmentVariable("HARBOUR_BENCH_SERVICE_ENV") is { Length: > 0 } value ? value : null;

    readonly DistributedApplication app;

    readonly ServerEndpoints servers;
    readonly string run;

    HarbourUnderLoad(DistributedApplication app, ServerEndpoints servers, string run, TimeSpan startedIn)
    {
        (this.app, this.servers, this.run) = (app, servers, run);
        StartedIn = startedIn;
        Gateway = Numeric(app.GetEndpoint("gateway", "http"));
        Intake = Numeric(app.GetEndpoint("intake", "http"));
    }

    public Uri Gateway { get; }
    public Uri Intake { get; }
    // A service's database (intake, cases, notifications, analytics), as an Npgsql connection string.
    public string Database(string service) => servers.Database($"{run}_{service}db");

    // From asking the AppHost to start to all five services healthy, with the servers already running and the tree built.
    public TimeSpan StartedIn { get; }

    // settings: AppHost configuration on top of the test servers' (key=value), such as Services:Reports:SubmissionsPerMinute=...
    // brokerGate: a gate in front of RabbitMQ that every service connects through, to play a broker outage.
    public static async Task<HarbourUnderLoad> StartAsync(string name, string[] settings, TcpGate? brokerGate = null)
    {
        var servers = await TestServers.GetAsync();
        var run = TestServers.UniqueName(name);
        var settingsOnServers = await servers.AppHostSettingsAsync(run);
        // Through the gate: the same broker address, at the gate's port (a later setting wins over an earlier one).
        const string Messaging = "ConnectionStrings:messaging=";
        if (brokerGate is not null && settingsOnServers.Single(s => s.StartsWith(Messaging, StringComparison.Ordinal)) is var direct)
            settingsOnServers.Add(Messaging + new UriBuilder(direct[Messaging.Length..]) { Host = "127.0.0.1", Port = brokerGate.Port }.Uri);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
        [
            .. settingsOnServers,
            $"Harbour:AdminEmail={AdminEmail}",
            $"Parameters:admin-password={AdminPassword}",
            "Harbour:TeamAddress=team@harbour.test",
            .. settings,
        ], (options, _) => options.DisableDashboard = true);
        // The services' own logs would drown the suite's output; their warnings and errors still show, but not the
        // health checks failing while the services start.
        builder.Services.AddLogging(logging => logging.AddFilter((category, level) =>
            level >= LogLevel.Warning && category?.StartsWith("Microsoft.Extensions.Diagnostics.HealthChecks", StringComparison.Ordinal) != true));
        // HARBOUR_BENCH_SERVICE_ENV (KEY=VALUE;KEY=VALUE) reaches every service's environment: a way to try runtime
        // settings (DOTNET_TieredPGO=0, DOTNET_gcServer=0, ...) without changing the system.
        foreach (var setting in ServiceEnvironment?.Split(';', StringSplitOptions.RemoveEmptyEntries) ?? [])
        {
            if (setting.IndexOf('=') is not (> 0 and var equals))
                throw new ArgumentException($"HARBOUR_BENCH_SERVICE_ENV: '{setting}' is not KEY=VALUE.");
            var (key, value) = (setting[..equals], setting[(equals + 1)..]);
            foreach (var project in builder.Resources.OfType<ProjectResource>())
                project.Annotations.Add(new EnvironmentCallbackAnnotation(context => context.EnvironmentVariables[key] = value));
        }
        var app = await builder.BuildAsync();
        var clock = Stopwatch.StartNew();
        using var starting = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await app.StartAsync(starting.Token);
        foreach (var service in Services)
            await app.ResourceNotifications.WaitForResourceHealthyAsync(service, starting.Token);
        return new HarbourUnderLoad(app, servers, run, clock.Elapsed);
    }

    // Page reads (which spend no submission budget), and reports when submitting, at 20 a second through the gateway and
    // straight to intake, so that what is measured next is the system at work (pools and caches filled), and until the .NET
    // runtime's tiered compiler is done with the hot paths: on this small a machine it is still recompiling thousands of
    // methods (instrumented, then optimised) a minute after start, and a figure taken meanwhile measures the compiler.
    // Done when, over a 15-second window, the compiler threads of every process on the machine used under 1% of it (so run
    // nothing else meanwhile: another .NET process compiling keeps it going); at least 60 s, at most 5 minutes.
    public async Task WarmUpAsync(bool submitting)
    {
        Console.WriteLine("Warming up ...");
        using var viaGateway = Senders.From(System.Net.IPAddress.Loopback, Gateway);
        using var straight = Senders.From(System.Net.IPAddress.Loopback, Intake);
        var window = TimeSpan.FromSeconds(15);
        for (WarmedUpIn = TimeSpan.Zero; ;)
        {
            var before = ProcessTree.CompilerTicks();
            await OpenArrivals.RunAsync(20, window, (n, ct) => (n % 4, submitting) switch
            {
                (0, true) => Requests.SubmitAsync(viaGateway, ct),
                (1, true) => Requests.SubmitAsync(straight, ct),
                (0 or 2, _) => Requests.ReadFormAsync(viaGateway, ct),
                _ => Requests.ReadFormAsync(straight, ct),
            });
            var after = ProcessTree.CompilerTicks();
            // A compiler thread ends when it has had nothing to do for a while (and a new one starts when there is): each
            // thread's ticks since the window began, all of a thread new in it; one that ended within it is missed.
            var used = after.Threads.Sum(t => t.Value - before.Threads.GetValueOrDefault(t.Key));
            (WarmedUpIn, CompilerShare) = (WarmedUpIn + window, used / (double)Math.Max(1, after.Machine - before.Machine));
            Console.WriteLine($"  {WarmedUpIn.TotalSeconds:0} s: the runtime's compiler used {CompilerShare:P1} of the machine");
            if ((WarmedUpIn >= TimeSpan.FromSeconds(60) && CompilerShare < 0.01) || WarmedUpIn >= TimeSpan.FromMinutes(5)) return;
        }
    }

    // How long the last warm-up lasted, and the share of the machine the runtime's compiler used in its last window.
    public TimeSpan WarmedUpIn { get; private set; }
    public double CompilerShare { get; private set; }

    // Memory of a service's own process, and of the `dotnet run` launcher Aspire keeps as its parent.
    public ProcessMemory Memory(string service) =>
        app.ResourceNotifications.TryGetCurrentState(service, out var state)
        && state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } pid
        && int.TryParse(pid.ToString(), out var root)
            ? ProcessTree.Memory(root)
            : new(0, 0, 0);

    // CPU time used so far by every process on the machine, with who it belongs to (a service, a server...).
    public CpuSample CpuTicks() => ProcessTree.CpuTicks(Services.ToDictionary(s => s, s =>
        app.ResourceNotifications.TryGetCurrentState(s, out var state)
        && state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } pid
        && int.TryParse(pid.ToString(), out var root) ? root : -1));

    // Connections to 127.0.0.1 rather than localhost, which may resolve to ::1 first.
    static Uri Numeric(Uri endpoint) => new UriBuilder(endpoint) { Host = "127.0.0.1" }.Uri;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

// CPU clock ticks of each process (by pid and start time) with its owner, and of the whole machine, idle included.
public sealed record CpuSample(Dictionary<(int Pid, long Start), (string Owner, long Ticks)> Processes, long MachineTicks)
{
    // Shares of the machine's capacity each owner used between an earlier sample and this one. A process that started
    // in between counts in full; one that ended in between is missed (its last ticks cannot be read any more).
    public Dictionary<string, double> SharesSince(CpuSample earlier)
    {
        var capacity = Math.Max(1, MachineTicks - earlier.MachineTicks);
        return Processes.GroupBy(p => p.Value.Owner).ToDictionary(g => g.Key, g => g.Sum(p =>
            p.Value.Ticks - (earlier.Processes.TryGetValue(p.Key, out var before) ? before.Ticks : 0)) / (double)capacity);
    }
}

static class ProcessTree
{
    // Memory of a process's descendants, or of the process itself when it has none: a service started with `dotnet run`
    // runs as the launcher's child, and the launcher (counted apart) is not part of the service.
    public static ProcessMemory Memory(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
                if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
                list.Add(pid);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }
        var descendants = new List<int>();
        for (var queue = new Queue<int>([root]); queue.TryDequeue(out var pid);)
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                descendants.Add(child);
                queue.Enqueue(child);
            }
        var own = (descendants.Count > 0 ? descendants : [root]).Select(Read).ToList();
        return new(own.Sum(m => m.Resident), own.Sum(m => m.Proportional), descendants.Count > 0 ? Read(root).Resident : 0);
    }

    // Clock ticks of CPU (user and system) of every process, keyed by its pid and start time (a pid can be reused), with
    // who used them: each service (its process and descendants), the servers, Aspire's own processes, the load generator,
    // and everything else; and the machine's clock ticks in all, idle included, from /proc/stat.
    public static CpuSample CpuTicks(Dictionary<string, int> services)
    {
        var processes = new Dictionary<int, (int Parent, string Name, long Start, long Ticks)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                // Fields from the third (state): ppid is the 4th, utime and stime the 14th and 15th, starttime the 22nd.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (File.ReadAllText(Path.Combine(directory, "cmdline")).Contains("smtp4dev", StringComparison.Ordinal)) name = "smtp4dev";
                processes[pid] = (int.Parse(fields[1]), name, long.Parse(fields[19]), long.Parse(fields[11]) + long.Parse(fields[12]));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }
        var byPid = services.Where(s => s.Value > 0).ToDictionary(s => s.Value, s => s.Key);
        string Owner(int pid)
        {
            for (var at = pid; processes.TryGetValue(at, out var process) && at > 1; at = process.Parent)
                if (byPid.TryGetValue(at, out var service)) return service;
            if (pid == Environment.ProcessId) return "load generator";
            return processes[pid].Name switch
            {
                "postgres" => "PostgreSQL",
                "beam.smp" or "erl_child_setup" or "epmd" or "inet_gethost" => "RabbitMQ",
                "smtp4dev" => "smtp4dev",
                var name when name.StartsWith("dcp", StringComparison.Ordinal) => "Aspire (DCP and its proxies)",
                var name when name.StartsWith("kworker", StringComparison.Ordinal) || name.StartsWith("kdamond", StringComparison.Ordinal) => "the kernel's own threads",
                _ => "everything else",
            };
        }
        var machine = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Sum(long.Parse);
        return new CpuSample(processes.ToDictionary(p => (p.Key, p.Value.Start), p => (Owner(p.Key), p.Value.Ticks)), machine);
    }

    // Clock ticks of CPU used so far by each thread of the .NET runtime's tiered compiler (the threads it names ".NET Tiered
    // Com") in every process, by thread id, and by the whole machine, idle included.
    public static (Dictionary<string, long> Threads, long Machine) CompilerTicks()
    {
        var threads = new Dictionary<string, long>();
        foreach (var process in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                foreach (var task in Directory.EnumerateDirectories(Path.Combine(process, "task")))
                {
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    if (stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')] != ".NET Tiered Com") continue;
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    threads[Path.GetFileName(task)] = long.Parse(fields[11]) + long.Parse(fields[12]);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process or thread ended while we looked.
            }
        }
        return (threads, File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Sum(long.Parse));
    }

    // Rss and Pss from /proc/<pid>/smaps_rollup, in bytes (the file gives kB).
    static (long Resident, long Proportional) Read(int pid)
    {
        try
        {
            var lines = File.ReadAllLines($"/proc/{pid}/smaps_rollup");
            long Field(string name) => lines.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal)) is { } line
                ? long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024 : 0;
            return (Field("Rss"), Field("Pss"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (0, 0);
        }
    }
}

// A service's memory in bytes. Resident (RSS) counts every page the process has in memory, those it shares with other
// processes (the runtime's and the framework's files) included, so a sum of RSS counts shared pages once per process.
// Proportional (PSS) splits each shared page among those sharing it: a sum of PSS taken at one moment is what the processes
// take from the machine together. Launcher: RSS of the `dotnet run` process Aspire starts the service with.
public sealed record ProcessMemory(long Resident, long Proportional, long Launcher);
