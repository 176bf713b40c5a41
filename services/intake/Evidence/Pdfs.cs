using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Harbour.Intake.Evidence;

// A PDF is rewritten without what identifies its author (services/pdf-rewriter) in a process of its own, with its own
// limits: a crafted file can drive a PDF reader into endless recursion (a stack overflow, which no handler catches),
// or into allocating gigabytes. In a process of its own that ends the rewriter, never intake, and the reporter is told
// the file could not be checked. Only the file goes in and only the rewritten file comes out; nothing is logged.
static class Pdfs
{
    // The rewriter's memory (GC heap hard limit, bytes) and time.
    const long MemoryLimit = 512L * 1024 * 1024;
    static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(30);
    const string CouldNotCheck = "this PDF could not be checked. Print it to a new PDF, or attach screenshots of it.";

    // log: where an operator learns that the rewriter cannot start or ended abnormally (never what the file held).
    public static async Task<byte[]> RewriteAsync(byte[] data, CancellationToken ct, ILogger? log = null)
    {
        Process? started;
        try
        {
            started = Process.Start(Start());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            log?.LogError("The PDF rewriter could not start ({Error}); every PDF is refused until it can", e.Message);
            started = null;
        }
        using var rewriter = started ?? throw new RefusedException(CouldNotCheck);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeLimit);
        try
        {
            var written = new MemoryStream();
            var reading = rewriter.StandardOutput.BaseStream.CopyToAsync(written, limit.Token);
            var problem = rewriter.StandardError.ReadToEndAsync(limit.Token);
            await rewriter.StandardInput.BaseStream.WriteAsync(data, limit.Token);
            rewriter.StandardInput.Close();
            await Task.WhenAll(reading, problem);
            await rewriter.WaitForExitAsync(limit.Token);
            return rewriter.ExitCode switch
            {
                0 => written.ToArray(),
                2 => throw new RefusedException(await problem),
                3 => throw new InvalidDataException("Unreadable PDF"),
                var code => throw Abnormal(log, $"ended with code {code}"),
            };
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && !ct.IsCancellationRequested)
        {
            // Out of time, or gone mid-way (a crash closes its pipes).
            throw Abnormal(log, rewriter.HasExited ? $"ended with code {rewriter.ExitCode}" : "ran out of time");
        }
        finally
        {
            if (!rewriter.HasExited) rewriter.Kill(entireProcessTree: true);
        }
    }

    static RefusedException Abnormal(ILogger? log, string outcome)
    {
        log?.LogWarning("A PDF could not be checked: the rewriter {Outcome}", outcome);
        return new RefusedException(CouldNotCheck);
    }

    // `dotnet exec` of the rewriter beside this assembly, with the running app's runtime and dependency files (they list
    // the rewriter and its packages), under the memory limit.
    static ProcessStartInfo Start()
    {
        var here = AppContext.BaseDirectory;
        var app = Path.GetFileNameWithoutExtension(System.Reflection.Assembly.GetEntryAssembly()!.Location);
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            ArgumentList =
            {
                "exec", "--runtimeconfig", Path.Combine(here, app + ".runtimeconfig.json"), "--depsfile", Path.Combine(here, app + ".deps.json"),
                Path.Combine(here, "Harbour.PdfRewriter.dll"),
            },
        };
        start.Environment["DOTNET_GCHeapHardLimit"] = $"0x{MemoryLimit:X}";
        return start;
    }

    // The dotnet host that runs this process's runtime: <dotnet root>/shared/Microsoft.NETCore.App/<version>/ is where
    // the runtime lives, so the host is three folders up.
    static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
            : Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"));
}
