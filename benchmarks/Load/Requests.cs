using System.Globalization;
using System.Net;
using System.Net.Http.Json;

namespace Harbour.Benchmarks.Load;

// What a reporter's phone sends, and how the suite writes what it measured.
public static class Requests
{
    // About 2 KB of narrative, like a real report's.
    static readonly string Narrative = string.Join(' ', Enumerable.Repeat(
        "A student shouted abuse at me in the library foyer as I was leaving, and followed me to the bus stop.", 20));

    // A report through the API: true when it was kept (201).
    public static async Task<bool> SubmitAsync(HttpClient client, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsync("/api/reports", ReportContent(), cancellationToken);
        return response.StatusCode == HttpStatusCode.Created;
    }

    // A new report's JSON body, with a submission id of its own.
    public static JsonContent ReportContent() => JsonContent.Create(new
    {
        submissionId = Guid.NewGuid(), kind = "anonymous", categories = new[] { "race" }, description = Narrative,
        location = "city-campus/library", occurredWhen = "Tuesday evening", reporterRole = "student",
    });

    // The report form's first page, read in full: true when it was served (200).
    public static async Task<bool> ReadFormAsync(HttpClient client, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync("/report", cancellationToken);
        await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK;
    }

    // A page or file read in full: true when it was served (200).
    public static async Task<bool> ReadAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode == HttpStatusCode.OK;
    }

    // One read at a time, so each time is the server's own: five unmeasured, then the given number timed.
    public static async Task<Latencies> OneAtATimeAsync(Func<Task<bool>> read, int reads)
    {
        for (var i = 0; i < 5; i++) await read();
        var latencies = new Latencies(0);
        for (var i = 0; i < reads; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var ok = await read();
            latencies.Record(clock.Elapsed, ok);
        }
        return latencies;
    }

    // Milliseconds as the tables show them.
    public static string Ms(double milliseconds) =>
        double.IsNaN(milliseconds) ? "–" : milliseconds.ToString(Math.Abs(milliseconds) < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    public static string Ratio(double value, double baseline) => (value / baseline).ToString("0.00", CultureInfo.InvariantCulture);
    public static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture);
    public static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    // A latency row: p50, p90, p99, p99.9 and max.
    public static string Percentiles(Latencies latencies) =>
        $"{Ms(latencies.Milliseconds(50))} | {Ms(latencies.Milliseconds(90))} | {Ms(latencies.Milliseconds(99))} | {Ms(latencies.Milliseconds(99.9))} | {Ms(latencies.MaxMilliseconds)}";
}
