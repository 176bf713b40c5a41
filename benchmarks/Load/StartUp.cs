using System.Diagnostics;
using Harbour.Testing;

namespace Harbour.Benchmarks.Load;

// From the README's run command to a healthy gateway, on a built tree: `./harbour run` as an operator types it, in
// local mode (PostgreSQL, RabbitMQ and smtp4dev from the machine's packages, with fresh data), its ports moved so that
// it never meets a system already running. Needs the dashboard's ports (18888, 18889) free.
public static class StartUp
{
    // Seconds to a healthy gateway, or why it was not reached.
    public static async Task<(TimeSpan? Healthy, string? Failure)> MeasureAsync()
    {
        Console.WriteLine("Start-up of ./harbour run ...");
        // Inside the tree, like the run's own data: PostgreSQL runs as its own user, who cannot enter a private temp folder.
        var data = new DirectoryInfo(Path.Combine(BenchmarksDoc.Root, ".harbour", "bench-run"));
        if (data.Exists) data.Delete(recursive: true);
        var ports = TestServers.FreePorts(6);
        var gateway = new Uri($"http://127.0.0.1:{ports[0]}/health");
        var start = new ProcessStartInfo("setsid", ["bash", "./harbour", "run"])
        {
            WorkingDirectory = BenchmarksDoc.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["Harbour__Servers"] = "local",
                ["Harbour__GatewayPort"] = ports[0].ToString(),
                ["Harbour__Local__DataPath"] = data.FullName,
                ["Harbour__Local__PostgresPort"] = ports[1].ToString(),
                ["Harbour__Local__AmqpPort"] = ports[2].ToString(),
                ["Harbour__Local__ManagementPort"] = ports[3].ToString(),
                ["Harbour__Local__MailUiPort"] = ports[4].ToString(),
                ["Harbour__Local__SmtpPort"] = ports[5].ToString(),
            },
        };
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        using var run = Process.Start(start)!;
        var output = run.StandardOutput.ReadToEndAsync();
        var errors = run.StandardError.ReadToEndAsync();
        TimeSpan? healthy = null;
        while (healthy is null && clock.Elapsed < TimeSpan.FromMinutes(5) && !run.HasExited)
        {
            try
            {
                using var answer = await http.GetAsync(gateway);
                if (answer.IsSuccessStatusCode) healthy = clock.Elapsed;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(250);
        }
        var ended = run.HasExited ? $"the run command ended first (exit code {run.ExitCode})" : null;
        await StopAsync(run);
        if (ended is not null)
            Console.WriteLine($"{ended}:\n{await output}\n{await errors}");
        try
        {
            data.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A server still letting go of its files: the next run deletes the folder first.
        }
        return (healthy, healthy is null ? ended ?? "not reached within five minutes" : null);
    }

    // Ctrl+C, as an operator stops it: the AppHost stops the services and the servers it started. Whatever is left a
    // minute later is killed: the run's own session, and the sessions of the orchestrator it started.
    static async Task StopAsync(Process run)
    {
        var sessions = Sessions();
        var ours = sessions.Where(p => p.Value.Session == run.Id).Select(p => p.Key).ToHashSet();
        var orchestrator = sessions.Where(p => ours.Any(pid => p.Value.CommandLine.Contains($"--monitor {pid}", StringComparison.Ordinal)))
            .Select(p => p.Value.Session).ToHashSet();
        Signal(ours, "INT");
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await run.WaitForExitAsync(stopping.Token);
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        catch (OperationCanceledException)
        {
            // Killed below.
        }
        orchestrator.Add(run.Id);
        Signal(Sessions().Where(p => orchestrator.Contains(p.Value.Session)).Select(p => p.Key), "KILL");
    }

    static void Signal(IEnumerable<int> pids, string signal)
    {
        foreach (var pid in pids)
        {
            try
            {
                if (signal == "KILL") Process.GetProcessById(pid).Kill();
                else Process.Start("bash", ["-c", $"kill -{signal} {pid}"])?.WaitForExit();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }
    }

    // Every process with its session id and command line, from /proc.
    static Dictionary<int, (int Session, string CommandLine)> Sessions()
    {
        var processes = new Dictionary<int, (int, string)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var session = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[3]);
                processes[pid] = (session, File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' '));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }
        return processes;
    }
}
