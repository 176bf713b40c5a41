using System.Net.Http.Json;
using System.Text.Json;
using Harbour.Contracts;
using MassTransit;

namespace Harbour.Reliability.Tests;

public sealed record PhaseResult(string Fault, string Load, int Sent, int Acknowledged, int Refused, Audit Audit);

// While reports arrive at a steady rate, each fault is injected in turn; after each, the system must drain
// to: every acknowledged report one case, one team email and one count; nothing duplicated; outbox and error
// queues empty (but for the poison message we send on purpose); every queue consumed.
public sealed class FaultInjectionTests(ReliabilitySystem system) : IClassFixture<ReliabilitySystem>
{
    static readonly TimeSpan Rate = TimeSpan.FromMilliseconds(500);
    static readonly TimeSpan Drain = TimeSpan.FromMinutes(5);
    readonly Ledger ledger = new(system);
    readonly List<string> acknowledged = [];
    readonly List<PhaseResult> results = [];

    [Fact]
    public async Task NothingAcknowledgedIsLostOrDuplicatedWhateverFails()
    {
        try
        {
            await PhaseAsync("RabbitMQ stopped for 60 s, then started", async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                await system.StopAsync("rabbitmq");
                await Task.Delay(TimeSpan.FromSeconds(60));
                await system.StartAsync("rabbitmq");
            });
            await PhaseAsync("cases, then notifications, killed (kill -9) while consuming, then started", async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                await system.KillAsync("cases");
                await Task.Delay(TimeSpan.FromSeconds(5));
                await system.StartAsync("cases");
                await system.KillAsync("notifications");
                await Task.Delay(TimeSpan.FromSeconds(5));
                await system.StartAsync("notifications");
            });
            await PhaseAsync("PostgreSQL restarted under intake and every consumer", async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                await system.RestartAsync("postgres");
                await Task.Delay(TimeSpan.FromSeconds(5));
            });
            await PhaseAsync("SMTP server stopped for 30 s while team emails are due, then started", async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                await system.StopAsync("mail");
                await Task.Delay(TimeSpan.FromSeconds(30));
                await system.StartAsync("mail");
            });
            await DuplicatesAsync();
            await PoisonAsync();
        }
        finally
        {
            ReliabilityReport.Write(results);
        }
    }

    async Task PhaseAsync(string fault, Func<Task> inject)
    {
        var load = new LoadGenerator(system.Gateway, Rate);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);
        await inject();
        await Task.Delay(TimeSpan.FromSeconds(5));
        await stop.CancelAsync();
        await running;
        acknowledged.AddRange(load.Acknowledged);
        await SettleAsync(fault, $"{1 / Rate.TotalSeconds:0} reports/s", load.Sent, load.Acknowledged.Count, load.Refused, expectedFailed: 0);
    }

    // The same event published again twice at once, and once more much later: consumers dedupe by business
    // key for ever, not within a window.
    async Task DuplicatesAsync()
    {
        var sample = acknowledged.Take(20).ToArray();
        var payloads = await ledger.QueryAsync("intakedb",
            $"SELECT payload::text FROM outbox_messages WHERE payload->>'Reference' = ANY(ARRAY['{string.Join("','", sample)}'])",
            r => JsonSerializer.Deserialize<ReportSubmitted>(r.GetString(0))!);
        payloads.Count.ShouldBe(sample.Length);
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(system.Broker));
        await bus.StartAsync();
        try
        {
            foreach (var message in payloads) await Task.WhenAll(bus.Publish(message), bus.Publish(message));
            await SettleAsync("the same 20 events published twice more", "none", payloads.Count * 2, 0, 0, expectedFailed: 0);
            await Task.Delay(TimeSpan.FromSeconds(30));
            foreach (var message in payloads) await bus.Publish(message);
            await SettleAsync("the same 20 events once more, 30 s after they settled", "none", payloads.Count, 0, 0, expectedFailed: 0);
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    // A message no consumer can read goes, after its retries, to each consumer's error queue: kept, counted
    // in readiness details, never silently dropped.
    async Task PoisonAsync()
    {
        await ledger.PublishRawAsync("Harbour.Contracts:ReportSubmitted", "{\"message\": \"not a report\", \"messageType\": 42");
        await SettleAsync("a poison message published (expected in 3 error queues)", "none", 1, 0, 0, expectedFailed: 3);
        var health = await new HttpClient().GetFromJsonAsync<JsonElement>(new Uri(system.Endpoint("cases"), "/health"));
        health.GetProperty("checks").GetProperty("queues").GetProperty("data").GetProperty("cases-report-submitted_error")
            .GetProperty("messages").GetInt64().ShouldBe(1);

        // Replayed as operations.md says: it goes back to its queue, fails again (it is still poison) and returns
        // to the error queue. Replay loses nothing and duplicates nothing.
        var before = await ledger.PublishedToAsync("cases-report-submitted");
        await ledger.ReplayAsync("cases-report-submitted");
        await Eventually.GetAsync(() => ledger.PublishedToAsync("cases-report-submitted"), n => n > before,
            "the replayed message to reach its queue");
        await SettleAsync("the poison message replayed from cases' error queue", "none", 1, 0, 0, expectedFailed: 3);
    }

    async Task SettleAsync(string fault, string load, int sent, int acknowledgedNow, int refused, long expectedFailed)
    {
        var audit = await ledger.SettleAsync(acknowledged, expectedFailed, Drain);
        results.Add(new PhaseResult(fault, load, sent, acknowledgedNow, refused, audit));
        audit.Settled(expectedFailed).ShouldBeTrue($"after \"{fault}\": {audit}");
    }
}
