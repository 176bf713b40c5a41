using Harbour.Contracts;
using Harbour.Profile;
using Harbour.ServiceDefaults;
using Harbour.ServiceDefaults.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Quartz;

namespace Harbour.Cases.Audit;

// What an anchor check found: the anchored entry is in the log as it was (Holds), is gone (Removed: the log now ends before
// it, or skips it), or is there with another hash (Rewritten: it or an entry before it changed, even if the chain was worked
// out again to verify).
public enum AnchorFinding { Holds, Removed, Rewritten }

// The audit chain's anchor (AuditChainAnchored): once a UK day the newest entry's id and hash leave the database by email,
// through notifications, so that removing the newest entries or rewriting the whole chain, which only the database server's
// administrator can do and which the chain alone would not show, shows when the log is checked against an anchor
// (/cases/audit). Taking it is itself an entry ("audit.anchored"), so the log says which anchors went out.
// Scheduled by Quartz.NET every Audit:AnchorCheckInterval (an hour); with several replicas one works at a time (a PostgreSQL
// advisory lock) and the first after UK midnight sends the day's anchor.
[DisallowConcurrentExecution]
public sealed class AuditAnchor(CasesDbContext db, TimeProvider clock, ILogger<AuditAnchor> log) : IJob
{
    public const string Action = "audit.anchored";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var quiet = Quiet.Begin();
        if (await TakeAsync(db, clock, log, cancellationToken) is { } anchor)
            log.LogInformation("Audit chain anchored at entry {EntryId}, hash {Hash}", anchor.EntryId, anchor.Hash);
    }

    // Takes today's anchor unless one was taken this UK day (or the log is empty); returns it, or null. The hash is
    // worked out here from the entries themselves (Chain), not read from the database, and the anchor says whether the log's
    // own hashes agreed with it.
    public static Task<AuditChainAnchored?> TakeAsync(CasesDbContext db, TimeProvider clock, ILogger log, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext('harbour-audit-anchor'))", token);
            var day = UkTime.Today(clock);
            var (today, tomorrow) = (UkTime.StartOf(day), UkTime.StartOf(day.AddDays(1)));
            if (await db.AuditLog.AnyAsync(a => a.At >= today && a.At < tomorrow && a.Action == Action, token)) return null;
            // The chain is this transaction's from here to its end (audit.chain_pending's lock), so that the anchor's own
            // entry, chained by the second call below, is the one just after the anchored entry.
            await db.ChainPendingAsync(token);
            if (await ChainAsync(db, null, token) is not { } chain) return null;
            if (!chain.Holds)
                log.LogError("The audit log's chain does not hold up to entry {EntryId}: an entry was changed or removed outside Harbour; the anchor is taken from the entries as they are",
                    chain.EntryId);
            var anchor = new AuditChainAnchored(Guid.CreateVersion7(), chain.EntryId, Convert.ToHexStringLower(chain.Hash), chain.EntryAt, clock.GetUtcNow(),
                chain.Holds);
            db.Outbox.Add(OutboxMessage.For(anchor, clock));
            db.AuditLog.Add(AuditEntry.By("system", Action, clock,
                detail: $"entry {anchor.EntryId}, hash {anchor.Hash}, chain {(chain.Holds ? "holds" : "broken")}; queued for email"));
            await db.SaveChangesAsync(token);
            await db.ChainPendingAsync(token);
            await transaction.CommitAsync(token);
            return anchor;
        }, ct);

    // Checks the log up to an anchor (an entry's id and the hash it had, as the anchor email gives them), from the entries
    // themselves: the database's own hashes and functions are not trusted, since whoever could rewrite the log could
    // rewrite them too. The anchor covers the chain up to the anchored entry; ChainedAfter lists (at most 20) entries with
    // lower ids that joined the chain after it, which it does not cover: an entry written while the anchor was taken (its
    // transaction committed after the anchor's), or one added since under an unused number by someone outside Harbour.
    public sealed record Check(AnchorFinding Finding, IReadOnlyList<long> ChainedAfter);

    public static async Task<Check> CheckAsync(CasesDbContext db, long entryId, string hash, CancellationToken ct)
    {
        var chain = await ChainAsync(db, entryId, ct);
        if (chain is null || chain.EntryId != entryId) return new(AnchorFinding.Removed, []);
        if (!chain.DetailsMatch || !string.Equals(Convert.ToHexStringLower(chain.Hash), hash, StringComparison.OrdinalIgnoreCase))
            return new(AnchorFinding.Rewritten, []);
        var after = await db.Database.SqlQuery<long>($"""
            SELECT id AS "Value" FROM audit.log WHERE id < {entryId}
                AND chain_position > (SELECT chain_position FROM audit.log WHERE id = {entryId}) ORDER BY id LIMIT 20
            """).ToListAsync(ct);
        return new(AnchorFinding.Holds, after);
    }

    // The chain worked out again, in chain order, from the first entry to entry upTo (null: to the last chained), as the
    // database chains each entry (AppHost/DatabaseRoles.cs, audit.content and audit.chain_pending): SHA-256 of the previous
    // hash and the entry's content, a JSON array as PostgreSQL's jsonb writes it. Holds: every stored hash is the one worked
    // out, and every detail still kept is the one whose hash was chained. Null for an empty chain, or when entry upTo is not
    // in it.
    public sealed record Chain(long EntryId, DateTimeOffset EntryAt, byte[] Hash, bool DetailsMatch, bool Holds);

    public static async Task<Chain?> ChainAsync(CasesDbContext db, long? upTo, CancellationToken ct)
    {
        var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT id, at, actor, action, case_id, detail, screen, detail_hash, hash FROM audit.log WHERE chain_position IS NOT NULL"
            + (upTo is null ? "" : " AND chain_position <= (SELECT chain_position FROM audit.log WHERE id = @upTo)")
            + " ORDER BY chain_position", connection)
        {
            Transaction = (Npgsql.NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction(),
        };
        if (upTo is { } entry) command.Parameters.AddWithValue("upTo", entry);
        await using var rows = await command.ExecuteReaderAsync(ct);
        byte[] previous = [];
        (long Id, DateTimeOffset At)? last = null;
        var (detailsMatch, hashesMatch) = (true, true);
        while (await rows.ReadAsync(ct))
        {
            var (id, at) = (rows.GetInt64(0), new DateTimeOffset(rows.GetDateTime(1), TimeSpan.Zero));
            var (actor, action) = (rows.GetString(2), rows.GetString(3));
            var caseId = rows.IsDBNull(4) ? (Guid?)null : rows.GetGuid(4);
            var detail = rows.IsDBNull(5) ? null : rows.GetString(5);
            var screen = rows.IsDBNull(6) ? null : rows.GetString(6);
            var detailHash = rows.IsDBNull(7) ? null : (byte[])rows[7];
            var stored = rows.IsDBNull(8) ? null : (byte[])rows[8];
            var time = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);
            object?[] content = detailHash is null
                ? screen is null ? [id, time, actor, action, caseId, detail] : [id, time, actor, action, caseId, detail, screen]
                : [id, time, actor, action, caseId, Convert.ToHexStringLower(detailHash), screen, "detail-sha256"];
            previous = System.Security.Cryptography.SHA256.HashData([.. previous, .. System.Text.Encoding.UTF8.GetBytes(Jsonb(content))]);
            hashesMatch &= stored is not null && stored.AsSpan().SequenceEqual(previous);
            if (detailHash is not null && detail is not null)
                detailsMatch &= System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(detail)).AsSpan().SequenceEqual(detailHash);
            last = (id, at);
        }
        return last is { } newest ? new Chain(newest.Id, newest.At, previous, detailsMatch, detailsMatch && hashesMatch) : null;
    }

    // A JSON array as PostgreSQL writes jsonb as text: ", " between elements, strings escaped as its escape_json does.
    static string Jsonb(object?[] values)
    {
        var text = new System.Text.StringBuilder("[");
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0) text.Append(", ");
            switch (values[i])
            {
                case null: text.Append("null"); break;
                case long number: text.Append(number.ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
                case var value:
                    text.Append('"');
                    foreach (var c in value is Guid guid ? guid.ToString("D") : (string)value)
                        text.Append(c switch
                        {
                            '\b' => "\\b", '\f' => "\\f", '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", '"' => "\\\"", '\\' => "\\\\",
                            < ' ' => $"\\u{(int)c:x4}",
                            _ => c.ToString(),
                        });
                    text.Append('"');
                    break;
            }
        }
        return text.Append(']').ToString();
    }
}
