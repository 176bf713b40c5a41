using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Harbour.Reliability.Tests;

// Submits reports through the gateway at a steady rate and records every reference the system acknowledged.
// Bounded in count and in time; loopback only.
public sealed class LoadGenerator(Uri gateway, TimeSpan interval, int maxReports = 1000)
{
    static readonly string[] Categories = ["race", "religion", "disability", "bullying", "sexual-harassment"];
    readonly HttpClient http = new() { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
    readonly ConcurrentQueue<string> acknowledged = new();
    int sent, refused;

    public int Sent => sent;
    public int Refused => refused;
    public IReadOnlyCollection<string> Acknowledged => acknowledged;

    public async Task RunAsync(CancellationToken stop)
    {
        var submissions = new List<Task>();
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (sent < maxReports && await timer.WaitForNextTickAsync(stop)) submissions.Add(SubmitAsync(sent));
        }
        catch (OperationCanceledException)
        {
            // The phase is over.
        }
        await Task.WhenAll(submissions);
    }

    async Task SubmitAsync(int n)
    {
        Interlocked.Increment(ref sent);
        try
        {
            var response = await http.PostAsJsonAsync("/api/reports", new
            {
                kind = n % 3 == 0 ? "named" : "anonymous",
                categories = new[] { Categories[n % Categories.Length] },
                description = $"Load report {n}: abuse shouted across the courtyard.",
                location = "city-campus/library",
                occurredWhen = "today",
                reporterRole = "student",
                contactName = n % 3 == 0 ? "Load Tester" : null,
                contactEmail = n % 3 == 0 ? "load@example.ac.uk" : null,
                consentToContact = n % 3 == 0 ? "yes" : null,
            });
            if (response.StatusCode == HttpStatusCode.Created)
                acknowledged.Enqueue((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString()!);
            else
                Interlocked.Increment(ref refused);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // Not acknowledged, so not promised: the reporter saw an error and can try again.
            Interlocked.Increment(ref refused);
        }
    }
}
