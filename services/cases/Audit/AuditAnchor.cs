using Harbour.Contracts;
using Harbour.Profile;
using Harbour.ServiceDefaults;
using Harbour.ServiceDefaults.Outbox;
using Microsoft.EntityFrameworkCore;
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
        if (await TakeAsync(db, clock, cancellationToken) is { } anchor)
            log.LogInformation("Audit chain anchored at entry {EntryId}, hash {Hash}", anchor.EntryId, anchor.Hash);
    }

    // Takes today's anchor unless one was taken since UK midnight (or the log is empty); returns it, or null.
    public static Task<AuditChainAnchored?> TakeAsync(CasesDbContext db, TimeProvider clock, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext('harbour-audit-anchor'))", token);
            var today = UkTime.StartOf(UkTime.Today(clock));
            if (await db.AuditLog.AnyAsync(a => a.At >= today && a.Action == Action, token)) return null;
            var newest = await db.AuditLog.AsNoTracking().OrderByDescending(a => a.Id).Select(a => new { a.Id, a.Hash, a.At }).FirstOrDefaultAsync(token);
            if (newest?.Hash is null) return null;
            var anchor = new AuditChainAnchored(Guid.CreateVersion7(), newest.Id, Convert.ToHexStringLower(newest.Hash), newest.At, clock.GetUtcNow());
            db.Outbox.Add(OutboxMessage.For(anchor, clock));
            db.AuditLog.Add(AuditEntry.By("system", Action, clock, detail: $"entry {anchor.EntryId}, hash {anchor.Hash}, sent by email"));
            await db.SaveChangesAsync(token);
            await transaction.CommitAsync(token);
            return anchor;
        }, ct);

    // Checks the log up to an anchor (an entry's id and the hash it had, as the anchor email gives them): the entry must be
    // there with that hash, and every link up to it must hold (an entry before it edited without its hash worked out again
    // leaves the anchored hash as it was).
    public static async Task<AnchorFinding> CheckAsync(CasesDbContext db, long entryId, string hash, CancellationToken ct)
    {
        var kept = await db.AuditLog.AsNoTracking().Where(a => a.Id == entryId).Select(a => a.Hash).SingleOrDefaultAsync(ct);
        if (kept is null) return AnchorFinding.Removed;
        if (!string.Equals(Convert.ToHexStringLower(kept), hash, StringComparison.OrdinalIgnoreCase)) return AnchorFinding.Rewritten;
        return (await db.BrokenLinksAsync(ct)).Any(id => id <= entryId) ? AnchorFinding.Rewritten : AnchorFinding.Holds;
    }
}
