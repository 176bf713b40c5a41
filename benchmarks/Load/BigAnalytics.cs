using System.Diagnostics;
using System.Reflection;
using System.Net;
using System.Text;
using Harbour.Testing;
using Npgsql;
using static Harbour.Benchmarks.Load.Requests;

namespace Harbour.Benchmarks.Load;

// Figure 7: the steering group's figures with 1,000,000 reports over ten years, as a national, multi-institution service
// might hold: each section's page, the figures as JSON and the hotspot table's CSV for one academic year, side by side with
// the hotspot query alone in plain SQL on the same rows, straight to PostgreSQL. The reports are seeded in SQL, then their
// tallies made by analytics' own command, "rebuild", as an operator would run it (timed).
public static class BigAnalytics
{
    const int Reports = 1_000_000, Reads = 30;
    const string Year = "from=2025-08-01&to=2026-07-31";

    public static async Task<string> MeasureAsync(HarbourUnderLoad harbour)
    {
        Console.WriteLine("Analytics with 1,000,000 reports ...");
        var database = harbour.Database("analytics");
        var seeding = Stopwatch.StartNew();
        var (reports, closures) = await SeedAsync(database);
        seeding.Stop();
        var rebuilding = Stopwatch.StartNew();
        await RebuildAsync(database);
        rebuilding.Stop();
        using var admin = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = harbour.Gateway,
        };
        if (!(await StaffSignIn.SignInAsync(admin, HarbourUnderLoad.AdminEmail, HarbourUnderLoad.AdminPassword)).SignedIn())
            throw new InvalidOperationException("The bootstrap admin could not sign in.");

        await using var data = NpgsqlDataSource.Create(database);
        var measured = new List<(string Name, Latencies Latencies)>
        {
            ("the overview page (`/analytics`)", await OneAtATimeAsync(() => ReadAsync(admin, $"/analytics?{Year}"), Reads)),
            ("where and when (`/analytics/where-and-when`)", await OneAtATimeAsync(() => ReadAsync(admin, $"/analytics/where-and-when?{Year}"), Reads)),
            ("response (`/analytics/response`)", await OneAtATimeAsync(() => ReadAsync(admin, $"/analytics/response?{Year}"), Reads)),
            ("support and action (`/analytics/support`)", await OneAtATimeAsync(() => ReadAsync(admin, $"/analytics/support?{Year}"), Reads)),
            ("the overview on one campus (`/analytics?campus=City campus`)", await OneAtATimeAsync(() => ReadAsync(admin, $"/analytics?{Year}&campus=City%20campus"), Reads)),
            ("the overview of one category on one campus, from the reports", await OneAtATimeAsync(() => ReadAsync(admin, $"/analytics?{Year}&category=race&campus=City%20campus"), Reads)),
            ("the figures as JSON, every table (`/api/analytics/figures`)", await OneAtATimeAsync(() => ReadAsync(admin, $"/api/analytics/figures?{Year}"), Reads)),
            ("the hotspot table as CSV (`/analytics/tables/places.csv`)", await OneAtATimeAsync(() => ReadAsync(admin, $"/analytics/tables/places.csv?{Year}"), Reads)),
            ("plain SQL: the hotspot query alone, straight to PostgreSQL", await OneAtATimeAsync(async () =>
            {
                await using var command = data.CreateCommand(
                    "SELECT location, count(*) FROM reports WHERE submitted_on BETWEEN '2025-08-01' AND '2026-07-31' GROUP BY location");
                await using var rows = await command.ExecuteReaderAsync();
                while (await rows.ReadAsync()) { }
                return true;
            }, Reads)),
        };
        var sql = measured[^1].Latencies.Milliseconds(95);
        var text = new StringBuilder($"""
            ### The steering group's figures with {Reports:N0} reports

            Goal: the overview and the hotspot table answering in under 200 ms each. analyticsdb is filled in SQL with
            {reports:N0} reports spread evenly over ten academic years (2016/17 to 2025/26; about 100,000 a year), each with one or two
            of the profile's categories, a place, kind, reporter role and channel drawn at random, and {closures:N0} closures with
            both response steps (seeding took {seeding.Elapsed.TotalSeconds:N0} s; then analytics' command `rebuild` made the report
            tallies from them in {rebuilding.Elapsed.TotalSeconds:N0} s). The bootstrap admin asks for the academic year
            2025/26 {Reads} times each, one request at a time through the gateway after five unmeasured reads, as published
            (rounded); the last row is the hotspot query alone in plain SQL, the floor any page must stand on.

            | what | p50 | p90 | p95 | p99 | max | p95 against plain SQL | errors |
            |---|--:|--:|--:|--:|--:|--:|--:|

            """);
        foreach (var (name, latencies) in measured)
            text.AppendLine($"| {name} | {Ms(latencies.Milliseconds(50))} | {Ms(latencies.Milliseconds(90))} | {Ms(latencies.Milliseconds(95))} "
                + $"| {Ms(latencies.Milliseconds(99))} | {Ms(latencies.MaxMilliseconds)} | {latencies.Milliseconds(95) / sql:N1}× | {latencies.Errors} |");
        return text.AppendLine().ToString();
    }

    // Analytics' own command, from the build the AppHost started, on the seeded database: the tallies of every report.
    static async Task RebuildAsync(string database)
    {
        var configuration = typeof(BigAnalytics).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var start = new ProcessStartInfo("dotnet", [Path.Combine(BenchmarksDoc.Root, "services", "analytics", "bin", configuration, "net10.0", "Analytics.dll"), "rebuild"])
        {
            Environment =
            {
                ["ConnectionStrings__analyticsdb"] = database,
                // Read at start, never reached: the command stops before the bus starts.
                ["ConnectionStrings__messaging"] = "amqp://127.0.0.1:1",
                ["Harbour__AnalyticsKey"] = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
                ["Harbour__LearningKey"] = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            },
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var command = Process.Start(start)!;
        var output = Task.WhenAll(command.StandardOutput.ReadToEndAsync(), command.StandardError.ReadToEndAsync());
        await command.WaitForExitAsync();
        if (command.ExitCode != 0) throw new InvalidOperationException("analytics rebuild failed: " + string.Concat(await output));
    }

    // Reports over ten academic years with the default profile's ids, and closures for six in ten of them, each with its
    // triage and first contact; in one transaction, then ANALYZE. Pseudonyms are random: nothing here joins anything.
    static async Task<(long Reports, long Closures)> SeedAsync(string database)
    {
        await using var data = NpgsqlDataSource.Create(database);
        await using var connection = await data.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        async Task Execute(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 1200 };
            await command.ExecuteNonQueryAsync();
        }
        await Execute($"""
            INSERT INTO reports (case_key, submitted_on, submitted_hour, kind, categories, location, reporter_role, channel)
            SELECT gen_random_uuid(), DATE '2016-08-01' + (g % 3652), (g * 7) % 24,
                   (ARRAY['anonymous','named','meeting'])[1 + g % 3],
                   CASE WHEN g % 4 = 0 THEN ARRAY[(ARRAY['race','disability','sexual-harassment','bullying','religion'])[1 + g % 5],
                                                 (ARRAY['online-harassment','stalking'])[1 + g % 2]]
                        ELSE ARRAY[(ARRAY['race','disability','sexual-harassment','bullying','religion','hate-crime'])[1 + g % 6]] END,
                   (ARRAY['city-campus/library','city-campus/students-union','city-campus/engineering','online','off-campus'])[1 + (g / 7) % 5],
                   (ARRAY['student','staff','visitor'])[1 + (g / 3) % 3],
                   (ARRAY['form','form','form','phone'])[1 + g % 4]
            FROM generate_series(1, {Reports}) g
            """);
        await Execute("""
            CREATE TEMP TABLE seeded_closures ON COMMIT DROP AS
            SELECT gen_random_uuid() AS closure_key, case_key, submitted_on, categories, location, kind,
                   (ARRAY['support-provided','resolved-informally','mediation','disciplinary','withdrawn'])[1 + abs(hashtext(case_key::text)) % 5] AS outcome
            FROM reports WHERE abs(hashtext(case_key::text)) % 10 < 6
            """);
        await Execute("""
            INSERT INTO closures (closure_key, case_key, submitted_on, closed_on, closed_at, outcome, kind, categories, location, learning_summary, tags)
            SELECT closure_key, case_key, submitted_on, submitted_on + 30, (submitted_on + 30)::timestamptz, outcome, kind, categories, location,
                   NULL, ARRAY['halls']
            FROM seeded_closures;
            INSERT INTO steps (closure_key, step, submitted_on, met_in_time, days)
            SELECT closure_key, s.step, submitted_on, abs(hashtext(closure_key::text || s.step)) % 10 < 8, 0.5 + abs(hashtext(closure_key::text || s.step)) % 6
            FROM seeded_closures CROSS JOIN (VALUES ('triage'), ('first-contact')) AS s(step);
            ANALYZE;
            """);
        var counts = new NpgsqlCommand("SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM closures)", connection, transaction);
        await using var read = await counts.ExecuteReaderAsync();
        await read.ReadAsync();
        var result = (read.GetInt64(0), read.GetInt64(1));
        await read.CloseAsync();
        await transaction.CommitAsync();
        return result;
    }
}
