using System.Net;
using System.Text;
using static Harbour.Benchmarks.Load.Requests;

namespace Harbour.Benchmarks.Load;

// Figure 1: the same page reads and reports, through the gateway and straight to intake, at the same rate, all at once.
public static class GatewayOverhead
{
    const double PerSecond = 20;
    static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    public static async Task<string> MeasureAsync(HarbourUnderLoad harbour)
    {
        Console.WriteLine("Gateway overhead ...");
        using var viaGateway = Senders.From(IPAddress.Loopback, harbour.Gateway);
        using var straight = Senders.From(IPAddress.Loopback, harbour.Intake);
        var streams = new (string Name, HttpClient Client, Func<HttpClient, CancellationToken, Task<bool>> Send)[]
        {
            ("page read, through the gateway", viaGateway, ReadFormAsync),
            ("page read, straight to intake", straight, ReadFormAsync),
            ("report, through the gateway", viaGateway, SubmitAsync),
            ("report, straight to intake", straight, SubmitAsync),
        };
        var results = await Task.WhenAll(streams.Select(s => OpenArrivals.RunAsync(PerSecond, Duration, (_, ct) => s.Send(s.Client, ct))));
        var text = new StringBuilder($"""
            ### Gateway overhead

            Goal: the gateway adds at most 1 ms at p50 and 3 ms at p99. The same requests through the gateway and straight to
            intake, {PerSecond:0} a second each, all four streams at once for {Duration.TotalSeconds:0} s, after the warm-up. Both paths pass
            Aspire's local proxy in front of intake; the gateway itself listens without one. The submission budgets are raised by
            configuration for this run.

            | request | p50 | p90 | p99 | p99.9 | max | errors |
            |---|--:|--:|--:|--:|--:|--:|

            """);
        for (var i = 0; i < streams.Length; i++)
            text.AppendLine($"| {streams[i].Name} | {Percentiles(results[i])} | {results[i].Errors} |");
        text.AppendLine();
        for (var i = 0; i < streams.Length; i += 2)
        {
            Latencies via = results[i], direct = results[i + 1];
            text.AppendLine($"- {streams[i].Name.Split(',')[0]}: the gateway adds {Ms(via.Milliseconds(50) - direct.Milliseconds(50))} ms at p50 "
                + $"(×{Ratio(via.Milliseconds(50), direct.Milliseconds(50))}) and {Ms(via.Milliseconds(99) - direct.Milliseconds(99))} ms at p99 "
                + $"(×{Ratio(via.Milliseconds(99), direct.Milliseconds(99))}).");
        }
        return text.AppendLine().ToString();
    }
}
