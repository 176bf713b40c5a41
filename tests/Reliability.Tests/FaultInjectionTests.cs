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
            int changedTo = 0;
            var outage = await PhaseAsync("RabbitMQ stopped for 60 s, the profile changed meanwhile, then started", async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                await system.StopAsync("rabbitmq");
                await Task.Delay(TimeSpan.FromSeconds(10));
                // Reports made before the change reach cases and notifications only after it.
                changedTo = await system.ChangeTriageDeadlineAsync(workingDays: 4);
                await Task.Delay(TimeSpan.FromSeconds(50));
                await system.StartAsync("rabbitmq");
            });
            await EveryServicePlansEachReportUnderItsOwnVersionAsync(outage, changedTo);
            await PhaseAsync("cases down for 60 s (killed) while reports, messages and photos keep coming, then started", async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                await system.KillAsync("cases");
                await Task.Delay(TimeSpan.FromSeconds(60));
                await system.StartAsync("cases");
            }, additions: true);
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
            await CaseWorkAsync();
            await DepartmentAlertsAsync();
            await DuplicatesAsync();
            await PoisonAsync();
        }
        finally
        {
            ReliabilityReport.Write(results);
        }
    }

    async Task<IReadOnlyCollection<string>> PhaseAsync(string fault, Func<Task> inject, bool additions = false)
    {
        var load = new LoadGenerator(system.Gateway, Rate, additions: additions);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);
        await inject();
        await Task.Delay(TimeSpan.FromSeconds(5));
        await stop.CancelAsync();
        await running;
        acknowledged.AddRange(load.Acknowledged);
        var rate = $"{1 / Rate.TotalSeconds:0} reports/s";
        await SettleAsync(fault, additions ? $"{rate}; {load.Messages} messages and {load.Files} photos added ({load.AdditionsRefused} refused)" : rate,
            load.Sent, load.Acknowledged.Count, load.Refused, expectedFailed: 0);
        if (additions) load.Messages.ShouldBeGreaterThan(0, "reporters wrote while cases was down");
        return load.Acknowledged;
    }

    // The reporter's confirmation (intake's version), the case's plan and the team email agree for every report,
    // including those made before the profile changed and read by cases and notifications only after it.
    async Task EveryServicePlansEachReportUnderItsOwnVersionAsync(IReadOnlyCollection<string> references, int changedTo)
    {
        var made = (await ledger.QueryAsync("intakedb", $"SELECT reference, profile_version FROM reports WHERE reference = ANY(ARRAY['{string.Join("','", references)}'])",
            r => (Reference: r.GetString(0), Version: r.GetInt32(1)))).ToDictionary(r => r.Reference, r => r.Version);
        var planned = (await ledger.QueryAsync("casesdb", $"SELECT reference, profile_version FROM cases WHERE reference = ANY(ARRAY['{string.Join("','", references)}'])",
            r => (Reference: r.GetString(0), Version: r.GetInt32(1)))).ToDictionary(r => r.Reference, r => r.Version);
        planned.OrderBy(p => p.Key).ShouldBe(made.OrderBy(m => m.Key), "cases plans each report under the version intake checked it against");
        var before = made.Where(m => m.Value < changedTo).Select(m => m.Key).ToList();
        before.ShouldNotBeEmpty("some reports were made before the change");

        using var staff = await system.StaffAsync();
        foreach (var reference in before.Take(5))
        {
            var plan = (await staff.GetFromJsonAsync<JsonElement>($"/api/cases/{reference}")).GetProperty("plan");
            var triage = DateOnly.Parse(plan.GetProperty("deadlines").EnumerateArray().Single(d => d.GetProperty("step").GetString() == "triage")
                .GetProperty("due").GetString()!);
            var email = await system.Mail.PlainTextAsync((await system.Mail.WithSubjectAsync(reference)).Single());
            email.ShouldContain($"Triage by {triage:dddd d MMMM yyyy}", customMessage: $"the team email for {reference} agrees with its case");
        }
    }

    // The same event published again twice at once, and once more much later: consumers dedupe by business
    // key for ever, not within a window.
    // Case managers keep working while notifications is killed and PostgreSQL restarts: every case assigned is emailed to
    // its assignee exactly once (an assignment sent again after an error is not a second one; only the email in flight at
    // the kill may go twice, as the same email), every closure holds, and cases' outbox drains.
    async Task CaseWorkAsync()
    {
        using var admin = await system.StaffAsync();
        var assigneeId = await system.CaseManagerAsync(admin);
        var references = acknowledged.Distinct().Take(60).ToList();
        var closing = references.Where((_, i) => i % 2 == 0).ToList();
        var retried = 0;
        async Task UntilDoneAsync(Func<Task<HttpResponseMessage>> send)
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    using var response = await send();
                    if ((int)response.StatusCode < 500) return;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && attempt < 120)
                {
                }
                retried++;
                attempt.ShouldBeLessThan(180, "the request to succeed once the servers are back");
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
        var work = Task.Run(async () =>
        {
            foreach (var reference in references)
            {
                await UntilDoneAsync(() => admin.PostAsJsonAsync($"/api/cases/{reference}/assignment", new { assigneeId }));
                if (closing.Contains(reference))
                    await UntilDoneAsync(() => admin.PostAsJsonAsync($"/api/cases/{reference}/closure", new { outcome = "support-provided" }));
                await Task.Delay(TimeSpan.FromMilliseconds(400));
            }
        });
        await Task.Delay(TimeSpan.FromSeconds(5));
        await system.KillAsync("notifications");
        await Task.Delay(TimeSpan.FromSeconds(5));
        await system.RestartAsync("postgres");
        await Task.Delay(TimeSpan.FromSeconds(5));
        await system.StartAsync("notifications");
        await work;

        await SettleAsync($"case work: {references.Count} cases assigned and {closing.Count} closed while notifications was killed and PostgreSQL restarted",
            $"{retried} requests sent again after an error", references.Count + closing.Count, 0, 0, expectedFailed: 0);
        var emailed = await Eventually.GetAsync(async () => (await system.Mail.WithSubjectAsync("has been assigned to you"))
                .GroupBy(m => m.Subject.Split(' ')[1]).ToDictionary(g => g.Key, g => g.ToList()),
            e => references.All(e.ContainsKey), "an email for every assignment", seconds: 180);
        // Exactly once, but for the one email a killed process can have had in flight: handed to the mail server, not yet
        // recorded. That one goes again with the same Message-ID (SendOnce), which mail clients show as one email.
        var repeated = references.Where(r => emailed[r].Count != 1).ToList();
        repeated.Count.ShouldBeLessThanOrEqualTo(1, "each assignment is emailed once, but for the one in flight when notifications was killed");
        foreach (var reference in repeated)
        {
            var ids = await Task.WhenAll(emailed[reference].Select(async m =>
                (await system.Mail.RawAsync(m)).Split("\r\n").First(h => h.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase))));
            ids.Length.ShouldBe(2, $"{reference}: the one in flight goes again once");
            ids.Distinct().Count().ShouldBe(1, $"{reference}: sent again as the same email (one Message-ID)");
        }
        (await ledger.QueryAsync("casesdb", $"SELECT count(*) FROM cases WHERE status = 'closed' AND reference = ANY(ARRAY['{string.Join("','", closing)}'])",
            r => r.GetInt64(0))).Single().ShouldBe(closing.Count);
        await Eventually.GetAsync(async () => (await ledger.QueryAsync("casesdb", "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL", r => r.GetInt64(0))).Single(),
            unsent => unsent == 0, "cases' outbox to drain");
    }

    // Departments are informed while notifications is killed, PostgreSQL restarts and the mail server stops for 30 s: every alert
    // requested is emailed to the department exactly once, or shown on its case as failed (the department NOT told), never lost.
    async Task DepartmentAlertsAsync()
    {
        using var admin = await system.StaffAsync();
        var references = acknowledged.Distinct().Skip(60).Take(30).ToList();
        var retried = 0;
        var work = Task.Run(async () =>
        {
            foreach (var reference in references)
            {
                var alert = new { alertId = Guid.CreateVersion7(), departmentId = "campus-security", text = $"Please patrol near the place of {reference}." };
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        using var response = await admin.PostAsJsonAsync($"/api/cases/{reference}/alerts", alert);
                        if ((int)response.StatusCode < 500) break;
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && attempt < 120)
                    {
                    }
                    retried++;
                    await Task.Delay(TimeSpan.FromSeconds(1));
                }
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        });
        await Task.Delay(TimeSpan.FromSeconds(3));
        await system.KillAsync("notifications");
        await Task.Delay(TimeSpan.FromSeconds(3));
        await system.RestartAsync("postgres");
        // notifications waits for the mail server to start: it comes back first, and meets the mail server stopped.
        await system.StartAsync("notifications");
        await system.StopAsync("mail");
        await Task.Delay(TimeSpan.FromSeconds(30));
        await system.StartAsync("mail");
        await work;

        var list = string.Join("','", references);
        async Task<List<(string Reference, bool Delivered, bool Failed)>> AlertsAsync()
        {
            try
            {
                return await ledger.QueryAsync("casesdb", $"""
                    SELECT c.reference, a.delivered_at IS NOT NULL, a.failed_at IS NOT NULL
                    FROM department_alerts a JOIN cases c ON c.id = a.case_id WHERE c.reference = ANY(ARRAY['{list}'])
                    """, r => (Reference: r.GetString(0), Delivered: r.GetBoolean(1), Failed: r.GetBoolean(2)));
            }
            catch (Npgsql.NpgsqlException)
            {
                // A pooled connection from before PostgreSQL restarted: look again.
                return [];
            }
        }
        async Task<Dictionary<string, int>> EmailedAsync() => (await system.Mail.WithSubjectAsync("information for Campus Security about case"))
            .GroupBy(m => m.Subject[(m.Subject.LastIndexOf(' ') + 1)..]).ToDictionary(g => g.Key, g => g.Count());
        var answered = await Eventually.GetAsync(AlertsAsync, rows => rows.Count == references.Count && rows.All(r => r.Delivered || r.Failed),
            "every alert delivered or shown as failed", seconds: 300);
        var emailed = await EmailedAsync();
        foreach (var alert in answered)
            if (alert.Delivered) emailed.GetValueOrDefault(alert.Reference).ShouldBe(1, $"the alert on {alert.Reference} was emailed once");
            else emailed.GetValueOrDefault(alert.Reference).ShouldBe(0, $"the alert on {alert.Reference} is shown as failed: no email went");

        // The operator's replay (operations.md) sends those the mail server refused; their cases then show them delivered.
        var failed = answered.Count(a => !a.Delivered);
        if (failed > 0) await ledger.ReplayAsync("notifications-department-alert");
        await Eventually.GetAsync(AlertsAsync, rows => rows.All(r => r.Delivered), "every alert delivered after the replay", seconds: 180);
        emailed = await Eventually.GetAsync(EmailedAsync, e => references.All(e.ContainsKey), "an email for every alert", seconds: 60);
        references.Where(r => emailed[r] != 1).ShouldBeEmpty("each alert is emailed exactly once, replay included");
        await SettleAsync($"department alerts: {references.Count} sent while notifications was killed, PostgreSQL restarted and SMTP stopped for 30 s",
            $"{retried} requests sent again after an error; {references.Count - failed} delivered at once, {failed} shown as NOT told, then sent by the replay",
            references.Count, 0, 0, expectedFailed: 0);
    }

    async Task DuplicatesAsync()
    {
        var sample = acknowledged.Take(20).ToArray();
        var payloads = await ledger.QueryAsync("intakedb",
            $"SELECT payload::text FROM outbox_messages WHERE payload->>'Reference' = ANY(ARRAY['{string.Join("','", sample)}'])",
            r => JsonSerializer.Deserialize<ReportSubmitted>(r.GetString(0))!);
        payloads.Count.ShouldBe(sample.Length);
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(system.Broker, host => host.UseSsl(ssl =>
        {
            ssl.EnforcePolicyErrors(System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors | System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch | System.Net.Security.SslPolicyErrors.RemoteCertificateNotAvailable);
            ssl.CertificateValidationCallback = system.TrustsServer;
        })));
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
        await ledger.ReplayAsync("cases-report-submitted");
        await SettleAsync("the poison message replayed from cases' error queue", "none", 1, 0, 0, expectedFailed: 3);
    }

    async Task SettleAsync(string fault, string load, int sent, int acknowledgedNow, int refused, long expectedFailed)
    {
        var audit = await ledger.SettleAsync(acknowledged, expectedFailed, Drain);
        results.Add(new PhaseResult(fault, load, sent, acknowledgedNow, refused, audit));
        audit.Settled(expectedFailed).ShouldBeTrue($"after \"{fault}\": {audit}");
    }
}
