using System.Net;
using static Harbour.Benchmarks.Load.Requests;

namespace Harbour.Benchmarks.Load;

// Figure 6: one sender floods the reporter's door while genuine reporters, each from an address of their own, send a
// report a second. The system as shipped, side by side with the same system without each sender's share at the gateway.
public static class FloodingSender
{
    const double FloodPerSecond = 50, GenuinePerSecond = 2;
    static readonly TimeSpan Phase = TimeSpan.FromSeconds(60);

    public static async Task<string> MeasureAsync(MachineUse machine)
    {
        Console.WriteLine("A flooding sender ...");
        Outcome shipped, unshared;
        await using (var harbour = await HarbourUnderLoad.StartAsync("load_shipped", []))
        {
            machine.Started("as shipped", harbour);
            await harbour.WarmUpAsync(submitting: false);
            shipped = await RunAsync(harbour);
        }
        await using (var harbour = await HarbourUnderLoad.StartAsync("load_unshared", ["Services:Gateway:SubmissionsPerClientPerMinute=1000000"]))
        {
            machine.Started("without each sender's share", harbour);
            await harbour.WarmUpAsync(submitting: false);
            unshared = await RunAsync(harbour);
        }
        return $"""
            ### A flooding sender

            Goal: a genuine reporter's success rate stays at 100% while one sender floods the door. Genuine reporters send
            {GenuinePerSecond:0} reports a second through the API, each from an address of their own; the flooder sends {FloodPerSecond:0} a second from
            one address: ten times the submission budget all senders share (`Reports:SubmissionsPerMinute`, 300) and a hundred
            times one sender's share at the gateway (`Gateway:SubmissionsPerClientPerMinute`, 30). Each phase lasts
            {Phase.TotalSeconds:0} s, after a minute of page reads (which spend no budget) to warm the system; the same phases run against
            the same system with each sender's share switched off (set to a million). Both systems are otherwise as shipped.

            | system | phase | genuine reports kept | p50 | p99 | max | flooder's reports kept |
            |---|---|--:|--:|--:|--:|--:|
            {Row("as shipped", "alone", shipped.Alone, null)}
            {Row("as shipped", "flooded", shipped.Flooded, shipped.Flooder)}
            {Row("without each sender's share", "alone", unshared.Alone, null)}
            {Row("without each sender's share", "flooded", unshared.Flooded, unshared.Flooder)}

            As shipped, the flood leaves {Percent(shipped.Flooded.SuccessRate)} of the genuine reports kept, with their p99 at
            ×{Ratio(shipped.Flooded.Milliseconds(99), shipped.Alone.Milliseconds(99))} of what it is without the flood. Without each sender's share the flooder
            spends the shared budget within seconds and {Percent(unshared.Flooded.SuccessRate)} are kept. What protects them: the gateway marks each
            report past the flooder's share, and intake refuses it (429) before reading its body and without spending the
            shared budget.

            """;
    }

    sealed record Outcome(Latencies Alone, Latencies Flooded, Latencies Flooder);

    static async Task<Outcome> RunAsync(HarbourUnderLoad harbour)
    {
        var crowd = 0;
        async Task<bool> GenuineAsync(CancellationToken cancellationToken)
        {
            using var reporter = Senders.From(Senders.OneOfMany(Interlocked.Increment(ref crowd)), harbour.Gateway);
            return await SubmitAsync(reporter, cancellationToken);
        }
        var alone = await OpenArrivals.RunAsync(GenuinePerSecond, Phase, (_, ct) => GenuineAsync(ct));
        using var flooder = Senders.From(new IPAddress([127, 0, 0, 2]), harbour.Gateway);
        var both = await Task.WhenAll(
            OpenArrivals.RunAsync(GenuinePerSecond, Phase, (_, ct) => GenuineAsync(ct)),
            OpenArrivals.RunAsync(FloodPerSecond, Phase, (_, ct) => SubmitAsync(flooder, ct)));
        return new Outcome(alone, both[0], both[1]);
    }

    static string Row(string system, string phase, Latencies genuine, Latencies? flooder) =>
        $"| {system} | {phase} | {genuine.Answered} of {genuine.Sent} ({Percent(genuine.SuccessRate)}) | {Ms(genuine.Milliseconds(50))} "
        + $"| {Ms(genuine.Milliseconds(99))} | {Ms(genuine.MaxMilliseconds)} | {(flooder is null ? "–" : $"{flooder.Answered} of {flooder.Sent}")} |";
}
