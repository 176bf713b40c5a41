using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Harbour.Reliability.Tests;

// Submits reports through the gateway at a steady rate and records every reference the system acknowledged. With
// additions, the reporter of each acknowledged report also writes a message (the follow-up API), and every third one
// sends a photo with it (the follow-up page), as reporters do soon after reporting. Bounded in count and in time;
// loopback only.
public sealed class LoadGenerator(Uri gateway, TimeSpan interval, int maxReports = 1000, bool additions = false)
{
    static readonly string[] Categories = ["race", "religion", "disability", "bullying", "sexual-harassment"];
    readonly HttpClient http = new() { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
    readonly ConcurrentQueue<string> acknowledged = new();
    int sent, refused, messages, files, additionsRefused;

    public int Sent => sent;
    public int Refused => refused;
    public int Messages => messages;
    public int Files => files;
    public int AdditionsRefused => additionsRefused;
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
            if (response.StatusCode != HttpStatusCode.Created)
            {
                Interlocked.Increment(ref refused);
                return;
            }
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            var reference = body.GetProperty("reference").GetString()!;
            acknowledged.Enqueue(reference);
            if (additions) await AddAsync(n, reference, body.GetProperty("receipt").GetString()!);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // Not acknowledged, so not promised: the reporter saw an error and can try again.
            Interlocked.Increment(ref refused);
        }
    }

    async Task AddAsync(int n, string reference, string receipt)
    {
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, $"/api/reports/{reference}/messages")
            {
                Content = JsonContent.Create(new { body = $"Load message {n}: it happened again.", id = Guid.NewGuid() }),
            };
            message.Headers.Add("Receipt", receipt);
            if ((await http.SendAsync(message)).StatusCode == HttpStatusCode.Created) Interlocked.Increment(ref messages);
            else Interlocked.Increment(ref additionsRefused);
            if (n % 3 != 0) return;

            // A photo goes with a message on the follow-up page, in a session of its own.
            using var page = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
            var open = HtmlForm.Read(await page.GetStringAsync("/follow-up"));
            (open["reference"], open["receipt"]) = (reference, receipt);
            var opened = await page.PostAsync("/follow-up?handler=Open", open.ToContent());
            var write = HtmlForm.Read(await page.GetStringAsync("/follow-up"), "form[method=post]:has(textarea)");
            write["body"] = $"Load message {n}: a photo of it.";
            var posted = await page.PostAsync("/follow-up?handler=Message", write.ToMultipart("evidence", "photo.jpg", SampleFiles.JpegWithLocation()));
            if (opened.StatusCode == HttpStatusCode.Redirect && posted.StatusCode == HttpStatusCode.Redirect)
            {
                Interlocked.Increment(ref messages);
                Interlocked.Increment(ref files);
            }
            else Interlocked.Increment(ref additionsRefused);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            Interlocked.Increment(ref additionsRefused);
        }
    }
}
