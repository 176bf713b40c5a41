using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;

namespace Harbour.Reliability.Tests;

// LostAdditions: messages and files a reporter sent after reporting (kept by intake) that are not on their case in cases.
public sealed record Audit(
    int Expected, IReadOnlyList<string> LostReports, IReadOnlyList<string> DuplicatedReports, long OutboxUnsent, IReadOnlyDictionary<string, long> ErrorQueues,
    IReadOnlyList<string> QueuesWithoutConsumers, IReadOnlyList<string> LostAdditions)
{
    public int Lost => LostReports.Count + LostAdditions.Count;
    public int Duplicated => DuplicatedReports.Count;

    public long Failed => ErrorQueues.Values.Sum();

    public bool Settled(long expectedFailed) => Lost == 0 && Duplicated == 0 && OutboxUnsent == 0
        && QueuesWithoutConsumers.Count == 0 && Failed == expectedFailed;

    public override string ToString() =>
        $"expected {Expected}, lost {Lost} [{string.Join(", ", LostReports.Concat(LostAdditions).Take(5))}], duplicated {Duplicated} [{string.Join(", ", DuplicatedReports.Take(5))}], outbox unsent {OutboxUnsent}, " +
        $"error queues [{string.Join(", ", ErrorQueues.Select(q => $"{q.Key}={q.Value}"))}], " +
        $"queues without consumers [{string.Join(", ", QueuesWithoutConsumers)}]";
}

// Reads each service's own store, the mail catcher and the broker, and says for every acknowledged reference
// whether it became exactly one case, one team email and one count.
public sealed partial class Ledger(ReliabilitySystem system)
{
    readonly HttpClient management = new();

    public async Task<Audit> AuditAsync(IReadOnlyCollection<string> acknowledged)
    {
        var reports = await QueryAsync("intakedb", "SELECT reference, id FROM reports",
            r => (Reference: r.GetString(0), Id: r.GetGuid(1)));
        var ids = reports.ToDictionary(r => r.Reference, r => r.Id);
        var cases = (await QueryAsync("casesdb", "SELECT reference, count(*) FROM cases GROUP BY reference",
            r => (Reference: r.GetString(0), Count: r.GetInt64(1)))).ToDictionary(c => c.Reference, c => c.Count);
        // Analytics keeps each report once (its key is the table's primary key) under a pseudonym of intake's id.
        var counted = (await QueryAsync("analyticsdb", "SELECT case_key FROM reports", r => r.GetGuid(0))).ToHashSet();
        // Worked out here as analytics' Pseudonyms does: HMAC-SHA-256 of the id under the analytics key, first 128 bits.
        Guid Pseudonym(Guid id) => new(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(ReliabilitySystem.AnalyticsKey), id.ToByteArray())[..16]);
        var unsent = (await QueryAsync("intakedb", "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL",
            r => r.GetInt64(0))).Single();
        var emails = (await system.Mail.WithSubjectAsync("awaiting assignment"))
            .Select(m => Reference().Match(m.Subject).Value)
            .GroupBy(reference => reference)
            .ToDictionary(g => g.Key, g => g.Count());

        var lost = acknowledged
            .Select(reference => (reference, stored: ids.TryGetValue(reference, out var id), @case: cases.ContainsKey(reference),
                email: emails.ContainsKey(reference), count: counted.Contains(Pseudonym(id))))
            .Where(r => !(r.stored && r.@case && r.email && r.count))
            .Select(r => $"{r.reference} (stored {r.stored}, case {r.@case}, email {r.email}, count {r.count})")
            .ToList();
        var duplicated = cases.Where(c => c.Value > 1).Select(c => $"{c.Key} ({c.Value} cases)")
            .Concat(emails.Where(e => e.Value > 1).Select(e => $"{e.Key} ({e.Value} emails)"))
            .ToList();

        // Every message and file a reporter added is on its report's case (each id at most once: it is the key).
        var added = await QueryAsync("intakedb", """
            SELECT 'message ' || id FROM conversation_messages WHERE "from" = 'reporter'
            UNION ALL SELECT 'file ' || id FROM evidence_files
            """, r => r.GetString(0));
        var onCases = (await QueryAsync("casesdb", """
            SELECT 'message ' || m.id FROM case_messages m JOIN cases c ON c.report_id = m.report_id WHERE m."from" = 'reporter'
            UNION ALL SELECT 'file ' || e.id FROM case_evidence e JOIN cases c ON c.report_id = e.report_id
            """, r => r.GetString(0))).ToHashSet();
        var lostAdditions = added.Where(a => !onCases.Contains(a)).ToList();

        var queues = await QueuesAsync();
        var errorQueues = queues.Where(q => q.Name.EndsWith("_error") || q.Name.EndsWith("_dead"))
            .ToDictionary(q => q.Name, q => q.Messages);
        var withoutConsumers = queues
            .Where(q => q.Name is "cases-report-submitted" or "notifications-report-submitted" or "analytics-report-submitted")
            .Where(q => q.Consumers == 0).Select(q => q.Name).ToList();
        return new Audit(acknowledged.Count, lost, duplicated, unsent, errorQueues, withoutConsumers, lostAdditions);
    }

    // Waits for the system to drain; returns what it last saw, settled or not, so the table can say so.
    public async Task<Audit> SettleAsync(IReadOnlyCollection<string> acknowledged, long expectedFailed, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Audit audit;
            try { audit = await AuditAsync(acknowledged); }
            catch (Exception ex) when (ex is NpgsqlException or HttpRequestException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(1000);
                continue;
            }
            if (audit.Settled(expectedFailed) || DateTime.UtcNow > deadline) return audit;
            await Task.Delay(1000);
        }
    }

    public async Task<List<T>> QueryAsync<T>(string database, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(system.Database(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync()) rows.Add(read(reader));
        return rows;
    }

    async Task<List<(string Name, long Messages, long Consumers)>> QueuesAsync()
    {
        using var request = Authorised(HttpMethod.Get, "api/queues/%2F?columns=name,messages,consumers");
        var response = await management.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var queues = await response.Content.ReadFromJsonAsync<JsonElement[]>();
        return queues!.Select(q => (q.GetProperty("name").GetString()!,
            q.TryGetProperty("messages", out var m) ? m.GetInt64() : 0,
            q.TryGetProperty("consumers", out var c) ? c.GetInt64() : 0)).ToList();
    }

    public async Task PublishRawAsync(string exchange, string payload)
    {
        using var request = Authorised(HttpMethod.Post, $"api/exchanges/%2F/{Uri.EscapeDataString(exchange)}/publish");
        request.Content = JsonContent.Create(new
        {
            properties = new { content_type = "application/vnd.masstransit+json", delivery_mode = 2 },
            routing_key = "",
            payload,
            payload_encoding = "string",
        });
        var response = await management.SendAsync(request);
        response.EnsureSuccessStatusCode();
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("routed").GetBoolean().ShouldBeTrue();
    }

    // The operator's replay (operations.md): a one-off shovel moves an error queue's messages back to its queue, and removes
    // itself once it has moved as many as the error queue held when it started. Returns when it has (not from the broker's
    // message statistics: a shovel that ends at once can end before its channel's figures are ever collected).
    public async Task ReplayAsync(string queue)
    {
        var name = $"replay-{queue}";
        using (var request = Authorised(HttpMethod.Put, $"api/parameters/shovel/%2F/{name}"))
        {
            request.Content = JsonContent.Create(new
            {
                value = new Dictionary<string, object>
                {
                    ["src-protocol"] = "amqp091", ["src-uri"] = "amqp://", ["src-queue"] = $"{queue}_error",
                    ["dest-protocol"] = "amqp091", ["dest-uri"] = "amqp://", ["dest-queue"] = queue,
                    ["src-delete-after"] = "queue-length",
                },
            });
            (await management.SendAsync(request)).EnsureSuccessStatusCode();
        }
        await Eventually.GetAsync(async () =>
        {
            using var parameter = Authorised(HttpMethod.Get, $"api/parameters/shovel/%2F/{name}");
            using var response = await management.SendAsync(parameter);
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return "finished";
            using var shovels = Authorised(HttpMethod.Get, "api/shovels/%2F");
            return await (await management.SendAsync(shovels)).Content.ReadAsStringAsync();
        }, state => state == "finished", $"the replay of {queue}_error to finish", seconds: 120);
    }

    HttpRequestMessage Authorised(HttpMethod method, string path) =>
        TestServers.Authorised(method, new Uri(system.Management, path), system.Broker);

    [GeneratedRegex(@"HR-\d{4}-\d{6}")]
    private static partial Regex Reference();
}
