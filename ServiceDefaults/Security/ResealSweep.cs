using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;
using Quartz;

namespace Harbour.ServiceDefaults.Security;

/// <summary>What a pass of <see cref="ResealSweep{TContext}"/> did: values sealed again with the key that seals, and values no
/// key held opens (left as they are, and logged: their key is missing from Harbour:OtherReportKeys).</summary>
public sealed record Resealed(int Values, int Unopened);

// Every sealed value of a service's database sealed again with the key that seals now, so that the keys before it can retire
// (docs/operations.md, rotating the report key). Sealed columns are found by name: every property called Sealed... (text or
// bytes) of every table the context maps, so a new one is covered without a list to keep. A value is replaced only if it
// is still the one read (a value changed meanwhile was sealed with the current key anyway). One replica at a time (a
// PostgreSQL advisory lock); scheduled by Quartz.NET every Sealing:ResealInterval (an hour).
[DisallowConcurrentExecution]
public sealed class ResealSweep<TContext>(TContext db, Sealer sealer, ILogger<ResealSweep<TContext>> log) : IJob where TContext : DbContext
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var quiet = Quiet.Begin();
        // Another replica is at work: it says what it did.
        if (await RunAsync(db, sealer, cancellationToken) is not { } done) return;
        if (done.Values > 0) log.LogInformation("{Count} sealed values sealed again with key {KeyId}", done.Values, sealer.KeyId);
        else if (done.Unopened == 0 && sealer.HoldsOtherKeys)
            log.LogInformation("Every sealed value of this database is under report key {KeyId}: once the queues and outboxes are empty, Harbour:OtherReportKeys can go",
                sealer.KeyId);
        if (done.Unopened > 0)
            log.LogWarning("{Count} sealed values are under a key this service does not hold: add it to Harbour:OtherReportKeys", done.Unopened);
    }

    /// <summary>One pass over every sealed column; null when another replica holds the pass (nothing was looked at).</summary>
    public static async Task<Resealed?> RunAsync(TContext db, Sealer sealer, CancellationToken ct)
    {
        var connectionString = db.Database.GetConnectionString()!;
        // Not pooled: the lock below ends with this connection instead of waiting in a pool for its next use.
        await using var reading = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await reading.OpenAsync(ct);
        await using (var locking = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtext('harbour-reseal'))", reading))
            if (!(bool)(await locking.ExecuteScalarAsync(ct))!) return null;
        await using var writing = new NpgsqlConnection(connectionString);
        await writing.OpenAsync(ct);
        var (values, unopened) = (0, 0);
        foreach (var column in SealedColumns(db.Model))
        {
            // Text sealed with the current key starts "v2.<id>."; bytes start with the marker and the id.
            var current = column.Bytes ? "substring({0} from 1 for 8) IS DISTINCT FROM @current" : "left({0}, 12) IS DISTINCT FROM @current";
            await using var select = new NpgsqlCommand(
                $"SELECT {string.Join(", ", column.Key)}, {column.Value} FROM {column.Table} WHERE {column.Value} IS NOT NULL AND {string.Format(current, column.Value)}",
                reading);
            select.Parameters.AddWithValue("current", column.Bytes ? sealer.SealBytes([])[..8] : sealer.Seal(0)[..12]);
            await using var rows = await select.ExecuteReaderAsync(ct);
            while (await rows.ReadAsync(ct))
            {
                var old = rows.GetValue(column.Key.Count);
                object renewed;
                try
                {
                    renewed = old is byte[] bytes ? sealer.Reseal(bytes) : sealer.Reseal((string)old);
                }
                catch (Exception ex) when (ex is CryptographicException or FormatException)
                {
                    unopened++;
                    continue;
                }
                await using var update = new NpgsqlCommand(
                    $"UPDATE {column.Table} SET {column.Value} = @renewed WHERE {column.Value} = @old"
                    + string.Concat(column.Key.Select((key, i) => $" AND {key} = @k{i}")), writing);
                update.Parameters.AddWithValue("renewed", renewed);
                update.Parameters.AddWithValue("old", old);
                for (var i = 0; i < column.Key.Count; i++) update.Parameters.AddWithValue($"k{i}", rows.GetValue(i));
                values += await update.ExecuteNonQueryAsync(ct);
            }
        }
        return new(values, unopened);
    }

    sealed record Column(string Table, IReadOnlyList<string> Key, string Value, bool Bytes);

    // Each table's sealed columns, quoted, with its primary key's columns.
    static IEnumerable<Column> SealedColumns(IModel model) =>
        model.GetEntityTypes()
            .Where(entity => entity.GetTableName() is not null && entity.GetViewName() is null && entity.FindPrimaryKey() is not null)
            .SelectMany(entity =>
            {
                var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
                var name = (entity.GetSchema() is { } schema ? Quote(schema) + "." : "") + Quote(table.Name);
                var key = entity.FindPrimaryKey()!.Properties.Select(p => Quote(p.GetColumnName(table)!)).ToList();
                return entity.GetProperties()
                    .Where(p => p.Name.StartsWith("Sealed", StringComparison.Ordinal) && (p.ClrType == typeof(string) || p.ClrType == typeof(byte[]))
                        && p.GetColumnName(table) is not null)
                    .Select(p => new Column(name, key, Quote(p.GetColumnName(table)!), p.ClrType == typeof(byte[])));
            })
            .DistinctBy(c => (c.Table, c.Value));

    static string Quote(string name) => $"\"{name.Replace("\"", "\"\"")}\"";
}

public static class Resealing
{
    /// <summary>Schedules <see cref="ResealSweep{TContext}"/> every Sealing:ResealInterval (an hour by default).</summary>
    public static void ScheduleResealing<TContext>(this IQuartzBuilder quartz, IConfiguration configuration)
        where TContext : DbContext =>
        quartz.ScheduleJob<ResealSweep<TContext>>(trigger => trigger.WithIdentity("reseal-sweep").StartNow()
            .WithSimpleSchedule(s => s.WithInterval(configuration.GetValue("Sealing:ResealInterval", TimeSpan.FromHours(1))).RepeatForever()));
}
