using System.Diagnostics;
using System.Net;
using System.Text;
using Harbour.Testing;
using Npgsql;
using static Harbour.Benchmarks.Load.Requests;

namespace Harbour.Benchmarks.Load;

// Figure 4: the case managers' pages with 100,000 cases in the database: the queue (unfiltered and filtered), a case
// page and My work, read one at a time by the bootstrap admin (who sees every case), so the time is the server's.
public static class BigDatabase
{
    const int Cases = 100_000, Reads = 100, Assigned = 40;
    const string AdminEmail = HarbourUnderLoad.AdminEmail, AdminPassword = HarbourUnderLoad.AdminPassword;

    public static async Task<string> MeasureAsync(HarbourUnderLoad harbour)
    {
        Console.WriteLine("Pages with 100,000 cases ...");
        var (seeded, reference) = await SeedAsync(harbour.Database("cases"));
        using var staff = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = harbour.Gateway,
        };
        if (!(await StaffSignIn.SignInAsync(staff, AdminEmail, AdminPassword)).SignedIn())
            throw new InvalidOperationException("The bootstrap admin could not sign in.");
        var pages = new (string Name, string Path)[]
        {
            ("the queue, unfiltered (open cases, first page)", "/cases"),
            ("the queue, filtered (a category, awaiting assignment)", "/cases?category=race&assignee=none"),
            ("the queue, a search by reference", $"/cases?search={reference}"),
            ("a case page", $"/cases/{reference}"),
            ($"My work ({Assigned} cases assigned)", "/cases/my-work"),
        };
        var text = new StringBuilder($"""
            ### Pages with {Cases:N0} cases

            Goal: p95 under 100 ms for the queue, a case page and My work with 100,000 cases. The cases database is filled to
            {Cases:N0} cases ({seeded:N0} copied in SQL from a case the suite made, with the rows of every table keyed by its case, such
            as its steps and timeline, but not its audit entries, nor messages and files, which are keyed by its report), all
            in the same category and awaiting assignment but {Assigned} assigned to the bootstrap admin. The admin reads each page
            {Reads} times, one request at a time through the gateway (after five unmeasured reads), so each time is the server's own
            plus the gateway's. The copies are alike: the filtered queue matches nearly all of them.

            | page | p50 | p90 | p95 | p99 | max | errors |
            |---|--:|--:|--:|--:|--:|--:|

            """);
        foreach (var (name, path) in pages)
        {
            var latencies = await OneAtATimeAsync(() => ReadAsync(staff, path), Reads);
            text.AppendLine($"| {name} | {Ms(latencies.Milliseconds(50))} | {Ms(latencies.Milliseconds(90))} | {Ms(latencies.Milliseconds(95))} "
                + $"| {Ms(latencies.Milliseconds(99))} | {Ms(latencies.MaxMilliseconds)} | {latencies.Errors} |");
        }
        return text.AppendLine().ToString();
    }

    // Copies the newest case, and every row that belongs to it (the tables with a case_id but the audit log), until the database holds
    // Cases cases; the first Assigned copies are assigned to the admin. Returns how many were copied, and a copy's reference.
    static async Task<(int Seeded, string Reference)> SeedAsync(string database)
    {
        await using var data = NpgsqlDataSource.Create(database);
        await using var connection = await data.OpenConnectionAsync();
        var existing = (long)(await new NpgsqlCommand("SELECT count(*) FROM cases", connection).ExecuteScalarAsync())!;
        var template = (Guid)(await new NpgsqlCommand("SELECT id FROM cases ORDER BY opened_at DESC LIMIT 1", connection).ExecuteScalarAsync())!;
        var admin = (string)(await new NpgsqlCommand($"SELECT id FROM \"AspNetUsers\" WHERE normalized_email = '{AdminEmail.ToUpperInvariant()}'", connection).ExecuteScalarAsync())!;
        var count = (int)Math.Max(0, Cases - existing);
        await using var transaction = await connection.BeginTransactionAsync();
        await Execute($"""
            CREATE TEMP TABLE seeded ON COMMIT DROP AS
            SELECT gen_random_uuid() AS id, 'HR-2099-' || lpad(g::text, 6, '0') AS reference, gen_random_uuid() AS report_id, g
            FROM generate_series(1, {count}) g
            """);
        await CopyAsync("cases", "t.id = @template", new()
        {
            ["id"] = "s.id", ["reference"] = "s.reference", ["report_id"] = "s.report_id",
            ["assignee_id"] = $"CASE WHEN s.g <= {Assigned} THEN @admin ELSE NULL END",
        });
        var children = new List<string>();
        await using (var tables = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'case_id'", connection))
        await using (var rows = await tables.ExecuteReaderAsync())
            while (await rows.ReadAsync()) children.Add(rows.GetString(0));
        // Not the audit log: its history would be made up, and its trigger chains every row under one lock (slow).
        foreach (var child in children.Where(c => c != "audit_log"))
            await CopyAsync(child, "t.case_id = @template", new() { ["case_id"] = "s.id" });
        await Execute("ANALYZE");
        await transaction.CommitAsync();
        return (count, "HR-2099-" + Assigned.ToString("000000"));

        async Task Execute(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            command.CommandTimeout = 600;
            command.Parameters.AddWithValue("template", template);
            command.Parameters.AddWithValue("admin", admin);
            await command.ExecuteNonQueryAsync();
        }

        // Every column of the table as the template's row has it, but for those given; a uuid "id" is new, and identity
        // and generated columns are left to the database.
        async Task CopyAsync(string table, string which, Dictionary<string, string> replaced)
        {
            var columns = new List<(string Name, string Type)>();
            await using (var query = new NpgsqlCommand(
                $"SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '\"{table}\"'::regclass AND attnum > 0 AND NOT attisdropped AND attidentity = '' AND attgenerated = ''",
                connection, transaction))
            await using (var rows = await query.ExecuteReaderAsync())
                while (await rows.ReadAsync()) columns.Add((rows.GetString(0), rows.GetString(1)));
            if (!replaced.ContainsKey("id") && columns.Any(c => c is ("id", "uuid"))) replaced["id"] = "gen_random_uuid()";
            var names = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
            var values = string.Join(", ", columns.Select(c => replaced.GetValueOrDefault(c.Name, $"t.\"{c.Name}\"")));
            await Execute($"INSERT INTO \"{table}\" ({names}) SELECT {values} FROM \"{table}\" t CROSS JOIN seeded s WHERE {which}");
        }
    }
}
