using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Harbour.Testing;
using System.Net.Http.Json;
using Npgsql;
using static Harbour.Benchmarks.Load.Requests;

namespace Harbour.Benchmarks.Load;

// Figure 3: from a report's acknowledgement to its case in the cases service and its team email sent by
// notifications; and how long the backlog of a broker outage takes to drain once the broker is back.
public static class EndToEnd
{
    // A rate the system holds (ReportsPerSecond), not the 200 a second the goal names: past what it holds, queues grow
    // without end and the figure would measure only how long the run lasted.
    const double PerSecond = 40;
    static readonly TimeSpan Duration = TimeSpan.FromSeconds(30), Outage = TimeSpan.FromSeconds(60);

    public static async Task<string> FollowAsync(HarbourUnderLoad harbour)
    {
        Console.WriteLine("End to end ...");
        await CaughtUpAsync(harbour);
        var acknowledged = await SubmitAsync(harbour, Duration);
        var (toCase, toEmail, _, _, _) = await ArrivalsAsync(harbour, acknowledged, TimeSpan.FromMinutes(2));
        return $"""
            ### End to end

            Goal: p95 under 1 s at 200 reports a second. From each report's acknowledgement (the moment the 201's headers
            reached the reporter's client) to its case opened in the cases service (`opened_at`, stamped as the consumer makes
            the case, before it commits) and to its team email claimed for sending by notifications (`deliveries.sent_at`,
            stamped just before the SMTP conversation), with reports through the gateway at {PerSecond:0} a second for
            {Duration.TotalSeconds:0} s: a rate this machine holds (see above), once every earlier report has its case and email. Both clocks are
            this machine's; a time that comes out below zero counts as zero.

            | from acknowledgement to | reports | p50 | p95 | p99 | max | not there after two minutes |
            |---|--:|--:|--:|--:|--:|--:|
            | its case | {toCase.Sent} | {Ms(toCase.Milliseconds(50))} | {Ms(toCase.Milliseconds(95))} | {Ms(toCase.Milliseconds(99))} | {Ms(toCase.MaxMilliseconds)} | {toCase.Errors} |
            | its team email claimed for sending | {toEmail.Sent} | {Ms(toEmail.Milliseconds(50))} | {Ms(toEmail.Milliseconds(95))} | {Ms(toEmail.Milliseconds(99))} | {Ms(toEmail.MaxMilliseconds)} | {toEmail.Errors} |

            """;
    }

    // A system whose services reach RabbitMQ through a gate: shut for Outage while reports keep coming (intake keeps
    // acknowledging them, its outbox holding their events), then open; the backlog has drained when every report
    // acknowledged has its case and its team email.
    public static async Task<string> BacklogAsync(string[] settings)
    {
        Console.WriteLine("A broker outage's backlog ...");
        using var gate = new TcpGate((await TestServers.GetAsync()).Rabbit, open: true);
        await using var harbour = await HarbourUnderLoad.StartAsync("load_backlog", settings, gate);
        await harbour.WarmUpAsync(submitting: true);
        gate.Shut();
        var acknowledged = await SubmitAsync(harbour, Outage);
        var (reopened, reopenedAt) = (Stopwatch.StartNew(), DateTimeOffset.UtcNow);
        gate.Open();
        var (_, _, drained, lastCase, lastEmail) = await ArrivalsAsync(harbour, acknowledged, TimeSpan.FromMinutes(10), reopened);
        // When intake's outbox published its first and its last held event (sent_at: after the broker confirmed it).
        await using var intake = NpgsqlDataSource.Create(harbour.Database("intake"));
        await using var outbox = intake.CreateCommand("SELECT min(sent_at), max(sent_at) FROM outbox_messages WHERE sent_at >= $1");
        outbox.Parameters.Add(new NpgsqlParameter { Value = reopenedAt });
        await using var times = await outbox.ExecuteReaderAsync();
        await times.ReadAsync();
        DateTimeOffset? firstSent = times.IsDBNull(0) ? null : times.GetFieldValue<DateTimeOffset>(0), lastSent = times.IsDBNull(1) ? null : times.GetFieldValue<DateTimeOffset>(1);
        string After(DateTimeOffset? at) => at is { } t ? $"{Math.Max(0, (t - reopenedAt).TotalSeconds):0.0} s" : "never";
        return $"""
            ### A broker outage's backlog

            Goal: a 60-second backlog drained within 60 seconds. The services reach RabbitMQ through a gate (a TCP relay in the
            suite) that is shut for
            {Outage.TotalSeconds:0} s while reports keep coming through the gateway at {PerSecond:0} a second; intake acknowledges {acknowledged.Count}
            of them meanwhile, keeping their events in its outbox. From opening the gate to the last of those reports having
            its case and its team email: {(drained is { } took ? $"**{took.TotalSeconds:0.0} s**" : "**not drained within ten minutes**")}.

            Apart, from opening the gate: intake's outbox had its first held event confirmed by the broker after {After(firstSent)}
            and its last after {After(lastSent)}; the last of the cases opened after {After(lastCase)}; the last team email was
            claimed for sending after {After(lastEmail)}. Until the first, the outbox was waiting: a publish that fails gives up after
            `Outbox:PublishTimeout` (10 s) and the dispatcher waits longer after each failure, up to 30 s, before it tries again.

            """;
    }

    // Reports at PerSecond through the gateway, with when each was acknowledged (its answer's headers arrived).
    static async Task<ConcurrentDictionary<string, DateTimeOffset>> SubmitAsync(HarbourUnderLoad harbour, TimeSpan duration)
    {
        using var client = Senders.From(IPAddress.Loopback, harbour.Gateway);
        var acknowledged = new ConcurrentDictionary<string, DateTimeOffset>();
        await OpenArrivals.RunAsync(PerSecond, duration, async (_, ct) =>
        {
            using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/reports") { Content = ReportContent() },
                HttpCompletionOption.ResponseHeadersRead, ct);
            var at = DateTimeOffset.UtcNow;
            if (response.StatusCode != HttpStatusCode.Created) return false;
            var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct);
            acknowledged[body.GetProperty("reference").GetString()!] = at;
            return true;
        });
        return acknowledged;
    }

    // Waits (at most two minutes) until every case has its team email: what earlier figures left in the queues is done.
    static async Task CaughtUpAsync(HarbourUnderLoad harbour)
    {
        await using var cases = NpgsqlDataSource.Create(harbour.Database("cases"));
        await using var notifications = NpgsqlDataSource.Create(harbour.Database("notifications"));
        for (var waited = 0; waited < 120; waited++)
        {
            var opened = (long)(await cases.CreateCommand("SELECT count(*) FROM cases").ExecuteScalarAsync())!;
            var emailed = (long)(await notifications.CreateCommand("SELECT count(*) FROM deliveries WHERE key LIKE 'report-submitted/%'").ExecuteScalarAsync())!;
            if (emailed >= opened) return;
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    // Waits until every acknowledged report has its case and its team email, or until the wait ends; then the time
    // from each acknowledgement to each, how long after `since` the last of them arrived, and when the last case opened and
    // the last email was claimed.
    static async Task<(Latencies ToCase, Latencies ToEmail, TimeSpan? Drained, DateTimeOffset? LastCase, DateTimeOffset? LastEmail)> ArrivalsAsync(HarbourUnderLoad harbour,
        IDictionary<string, DateTimeOffset> acknowledged, TimeSpan wait, Stopwatch? since = null)
    {
        since ??= Stopwatch.StartNew();
        await using var cases = NpgsqlDataSource.Create(harbour.Database("cases"));
        await using var notifications = NpgsqlDataSource.Create(harbour.Database("notifications"));
        var references = acknowledged.Keys.ToArray();
        Dictionary<string, (Guid Report, DateTimeOffset Opened)> opened = [];
        Dictionary<Guid, DateTimeOffset> emailed = [];
        TimeSpan? drained = null;
        while (since.Elapsed < wait)
        {
            opened = [];
            await using (var query = cases.CreateCommand("SELECT reference, report_id, opened_at FROM cases WHERE reference = ANY($1)"))
            {
                query.Parameters.Add(new NpgsqlParameter { Value = references });
                await using var rows = await query.ExecuteReaderAsync();
                while (await rows.ReadAsync()) opened[rows.GetString(0)] = (rows.GetGuid(1), rows.GetFieldValue<DateTimeOffset>(2));
            }
            emailed = [];
            await using (var query = notifications.CreateCommand("SELECT key, sent_at FROM deliveries WHERE key = ANY($1)"))
            {
                query.Parameters.Add(new NpgsqlParameter { Value = opened.Values.Select(c => $"report-submitted/{c.Report}").ToArray() });
                await using var rows = await query.ExecuteReaderAsync();
                while (await rows.ReadAsync()) emailed[Guid.Parse(rows.GetString(0)["report-submitted/".Length..])] = rows.GetFieldValue<DateTimeOffset>(1);
            }
            if (opened.Count == references.Length && emailed.Count == references.Length)
            {
                drained = since.Elapsed;
                break;
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        Latencies toCase = new(PerSecond), toEmail = new(PerSecond);
        foreach (var (reference, at) in acknowledged)
        {
            var found = opened.TryGetValue(reference, out var @case);
            toCase.Record(found ? @case.Opened - at : TimeSpan.Zero, found);
            var sent = emailed.TryGetValue(found ? @case.Report : Guid.Empty, out var email);
            toEmail.Record(sent ? email - at : TimeSpan.Zero, sent);
        }
        return (toCase, toEmail, drained, opened.Count > 0 ? opened.Values.Max(c => c.Opened) : null, emailed.Count > 0 ? emailed.Values.Max() : null);
    }
}
