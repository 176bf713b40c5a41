using System.Diagnostics;
using HdrHistogram;

namespace Harbour.Benchmarks.Load;

// An open arrival model: requests start at a fixed rate whether or not earlier ones have been answered, and each is
// timed from when it was due to start. A slow answer therefore delays no later request and hides none of the waiting
// it causes (no coordinated omission): if the generator itself falls behind, the lag is counted too.
public static class OpenArrivals
{
    public static async Task<Latencies> RunAsync(double perSecond, TimeSpan duration, Func<int, CancellationToken, Task<bool>> send)
    {
        var latencies = new Latencies(perSecond);
        var total = (int)(perSecond * duration.TotalSeconds);
        var running = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        for (var started = 0; started < total; await Task.Delay(1))
            for (var due = Math.Min(total, (int)(clock.Elapsed.TotalSeconds * perSecond) + 1); started < due; started++)
                running.Add(OneAsync(started, TimeSpan.FromSeconds(started / perSecond)));
        await Task.WhenAll(running);
        return latencies;

        async Task OneAsync(int number, TimeSpan dueAt)
        {
            await Task.Yield();
            bool answered;
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                answered = await send(number, timeout.Token);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
            {
                answered = false;
            }
            latencies.Record(clock.Elapsed - dueAt, answered);
        }
    }
}

// Latencies of the requests answered as expected, in an HDR histogram (microseconds, three significant digits), and
// a count of the others: errors are never folded into the percentiles, where a fast refusal would flatter them.
public sealed class Latencies(double perSecond)
{
    readonly LongHistogram answered = new(TimeSpan.FromMinutes(2).Ticks / 10, 3);
    int errors;

    public double PerSecond { get; } = perSecond;
    public long Answered => answered.TotalCount;
    public int Errors => errors;
    public long Sent => Answered + Errors;
    public double SuccessRate => Sent == 0 ? 0 : (double)Answered / Sent;

    public void Record(TimeSpan latency, bool ok)
    {
        if (!ok) { Interlocked.Increment(ref errors); return; }
        lock (answered) answered.RecordValue(Math.Clamp(latency.Ticks / 10, 1, answered.HighestTrackableValue));
    }

    // Milliseconds at a percentile (0 to 100) of the answered requests.
    public double Milliseconds(double percentile)
    {
        lock (answered) return Answered == 0 ? double.NaN : answered.GetValueAtPercentile(percentile) / 1000.0;
    }

    public double MaxMilliseconds
    {
        get { lock (answered) return Answered == 0 ? double.NaN : answered.GetMaxValue() / 1000.0; }
    }
}
