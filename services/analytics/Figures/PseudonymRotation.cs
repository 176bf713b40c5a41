using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Harbour.Analytics.Figures;

/// <summary>One analytics key the stored pseudonyms have been made under (table <c>pseudonym_keys</c>): its place in the
/// order (0 the first), its id (8 hex digits, Pseudonyms.KeyIds) and when every stored pseudonym was made again under it.</summary>
public sealed class PseudonymKey
{
    public int Position { get; init; }
    public required string KeyId { get; init; }
    public DateTimeOffset AppliedAt { get; init; }
}

// Moves every stored pseudonym forward to the current analytics key, in one transaction, when analytics starts with a key
// the database has not seen (docs/operations.md, "Rotating the analytics key"). The database records the keys its
// pseudonyms were made under; the configured keys must begin with them, in order, or analytics refuses to start rather
// than keep facts that no later event would find. Every Guid column named ...Key of a fact is a pseudonym, and moves.
// While it runs, facts wait to be kept (KeepOnceAsync takes the same lock, shared); a replica still on the earlier keys
// is refused every fact from then on (its events are retried, then wait in its error queue for a replay), which is why
// operations stops every replica before the first starts with the next key.
public static class PseudonymRotation
{
    // The advisory lock a rotation holds alone and every fact kept holds shared.
    public const string Lock = "harbour-analytics-pseudonyms";

    public static Task ApplyAsync(AnalyticsDbContext db, Pseudonyms pseudonyms, ILogger log, CancellationToken ct)
    {
        // A million facts take about a minute to move: longer than a query is otherwise allowed.
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        return db.Database.CreateExecutionStrategy().ExecuteAsync(token => MoveToCurrentKeyAsync(db, pseudonyms, log, token), ct);
    }

    static async Task MoveToCurrentKeyAsync(AnalyticsDbContext db, Pseudonyms pseudonyms, ILogger log, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({Lock}))", ct);
        var applied = await db.PseudonymKeys.OrderBy(k => k.Position).Select(k => k.KeyId).ToListAsync(ct);
        // A database from before keys were recorded holds pseudonyms under one key, which cannot be told from them: it is
        // taken to be the one configured, and a rotation waits for a start that has recorded it.
        if (applied.Count == 0)
        {
            if (pseudonyms.KeyIds.Count > 1 && await AnyFactAsync(db, ct))
                throw new InvalidOperationException("analyticsdb does not yet record the analytics key its pseudonyms were made under: start analytics "
                    + "once with only Harbour:AnalyticsKey, the key they were made under, before giving it the next one (docs/operations.md, Rotating the analytics key).");
            db.PseudonymKeys.Add(new PseudonymKey { Position = 0, KeyId = pseudonyms.KeyIds[0], AppliedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(ct);
            applied.Add(pseudonyms.KeyIds[0]);
        }
        if (applied.Count > pseudonyms.KeyIds.Count || !applied.SequenceEqual(pseudonyms.KeyIds.Take(applied.Count)))
            throw new InvalidOperationException($"analyticsdb's pseudonyms were made under the analytics keys {string.Join(", ", applied)} (oldest first), "
                + $"but Harbour:EarlierAnalyticsKeys and Harbour:AnalyticsKey give {string.Join(", ", pseudonyms.KeyIds)}: give every key the database names, "
                + "in that order, with any newer key after them (docs/operations.md, Rotating the analytics key).");
        for (var next = applied.Count; next < pseudonyms.KeyIds.Count; next++)
        {
            var moved = await MoveForwardAsync(db, pseudonyms, next, ct);
            db.PseudonymKeys.Add(new PseudonymKey { Position = next, KeyId = pseudonyms.KeyIds[next], AppliedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(ct);
            log.LogInformation("{Count} stored pseudonyms made again under analytics key {KeyId}", moved, pseudonyms.KeyIds[next]);
        }
        await transaction.CommitAsync(ct);
    }

    // Throws unless the database's pseudonyms are made under exactly this replica's keys; call inside the transaction that
    // keeps a fact, so that no rotation commits between this check and the fact.
    public static async Task HoldAsync(AnalyticsDbContext db, Pseudonyms pseudonyms, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock_shared(hashtext({Lock}))", ct);
        var newest = await db.PseudonymKeys.OrderByDescending(k => k.Position).Select(k => k.KeyId).FirstOrDefaultAsync(ct);
        if (newest != pseudonyms.KeyIds[^1])
            throw new InvalidOperationException($"analyticsdb's pseudonyms are under analytics key {newest ?? "(none recorded)"}, this replica's current key is "
                + $"{pseudonyms.KeyIds[^1]}: it is restarted with the keys the others have (docs/operations.md, Rotating the analytics key).");
    }

    // The stored pseudonyms: (table, column) of every Guid property named ...Key (the test holds them to every uuid column).
    public static IEnumerable<(string Table, string Column)> Columns(AnalyticsDbContext db) =>
        from entity in db.Model.GetEntityTypes()
        from property in entity.GetProperties()
        where (property.ClrType == typeof(Guid) || property.ClrType == typeof(Guid?)) && property.Name.EndsWith("Key", StringComparison.Ordinal)
        select (entity.GetTableName()!, property.GetColumnName());

    // Whether any fact holds a pseudonym.
    static async Task<bool> AnyFactAsync(AnalyticsDbContext db, CancellationToken ct)
    {
        var any = "SELECT EXISTS (" + string.Join(" UNION ALL ", Columns(db).Select(c => c.Table).Distinct().Select(t => $"SELECT 1 FROM \"{t}\"")) + ") AS \"Value\"";
        return await db.Database.SqlQueryRaw<bool>(any).SingleAsync(ct);
    }

    static async Task<int> MoveForwardAsync(AnalyticsDbContext db, Pseudonyms pseudonyms, int key, CancellationToken ct)
    {
        var columns = Columns(db).ToList();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.ExecuteSqlRawAsync("CREATE TEMP TABLE pseudonym_moves (old uuid PRIMARY KEY, new uuid NOT NULL) ON COMMIT DROP", ct);
        // Names from the model, never from outside.
        var everyValue = "SELECT v AS \"Value\" FROM (" + string.Join(" UNION ", columns.Select(c => $"SELECT \"{c.Column}\" FROM \"{c.Table}\" WHERE \"{c.Column}\" IS NOT NULL"))
            + ") AS every_value(v)";
        var stored = await db.Database.SqlQueryRaw<Guid>(everyValue).ToListAsync(ct);
        await using (var copy = await connection.BeginBinaryImportAsync("COPY pseudonym_moves (old, new) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var value in stored)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(value, NpgsqlTypes.NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(pseudonyms.Under(key, value), NpgsqlTypes.NpgsqlDbType.Uuid, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await db.Database.ExecuteSqlRawAsync("ANALYZE pseudonym_moves", ct);
        // A step names its closure: that key is checked once both have moved, as a command (a commit would give the checks
        // only the connection's own timeout).
        await db.Database.ExecuteSqlRawAsync("SET CONSTRAINTS ALL DEFERRED", ct);
        foreach (var (table, column) in columns)
        {
            var move = $"UPDATE \"{table}\" AS t SET \"{column}\" = m.new FROM pseudonym_moves m WHERE t.\"{column}\" = m.old";
            await db.Database.ExecuteSqlRawAsync(move, ct);
        }
        await db.Database.ExecuteSqlRawAsync("SET CONSTRAINTS ALL IMMEDIATE", ct);
        await db.Database.ExecuteSqlRawAsync("DROP TABLE pseudonym_moves", ct);
        return stored.Count;
    }
}
