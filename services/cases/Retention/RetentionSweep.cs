using Harbour.Cases.Audit;
using Harbour.Cases.Casework;
using Harbour.Cases.Profile;
using Harbour.Contracts;
using Harbour.Profile;
using Harbour.ServiceDefaults;
using Harbour.ServiceDefaults.Outbox;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Harbour.Cases.Retention;

// Deletes every case past its retention period (RetentionSchedule) and not on legal hold: the case, its report, conversation,
// files, notes, timeline, clocks, checklist, tasks, alerts, referrals, meetings, legal advice, disclosure and involvements,
// in batches, each in one transaction with each case's deletion-log line, its audit entry (who: "retention", the rule; no content) and
// CaseDeleted for intake. The audit log keeps its entries about the case (they hold its id, never its content).
// Then the audit log's details (a staff member's address, the network address a sign-in came from, an address typed at a failed sign-in) older than the period the
// database keeps (Harbour:AuditDetailMonths, 24 calendar months) are emptied; the entries stay (AppHost/DatabaseRoles.cs,
// audit.expire_details).
// Scheduled by Quartz.NET every Retention:SweepInterval (an hour); with several replicas one works at a time (a PostgreSQL
// advisory lock), and a case already gone is simply not found, so a period's deletions happen once.
[DisallowConcurrentExecution]
public sealed class RetentionSweep(CasesDbContext db, TimeProvider clock, ILogger<RetentionSweep> log) : IJob
{
    const int Batch = 50;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var quiet = Quiet.Begin();
        var deleted = await RunAsync(db, clock, cancellationToken);
        if (deleted > 0) log.LogInformation("{Count} cases reached the end of their retention period and were deleted", deleted);
        var expired = await ExpireAuditDetailsAsync(db, cancellationToken);
        if (expired > 0) log.LogInformation("{Count} audit entries' details reached the end of their retention period and were emptied", expired);
    }

    // Empties the details of audit entries older than the database's period (by the database's clock); returns how many.
    // The entries and their chain stay.
    public static Task<int> ExpireAuditDetailsAsync(CasesDbContext db, CancellationToken ct) =>
        db.Database.SqlQuery<int>($"SELECT audit.expire_details() AS \"Value\"").SingleAsync(ct);

    // How many calendar months an audit entry keeps its detail, as the database keeps it.
    public static Task<int> AuditDetailMonthsAsync(CasesDbContext db, CancellationToken ct) =>
        db.Database.SqlQuery<int>($"SELECT audit.detail_months() AS \"Value\"").SingleAsync(ct);

    // Returns how many cases were deleted. A case changed by someone while its batch was deleted stops that rule for this run
    // (nothing of the batch is deleted); the next run takes it up.
    public static async Task<int> RunAsync(CasesDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var profile = (await db.CurrentProfileAsync(ct))?.Profile ?? DefaultProfile.Value;
        var today = UkTime.Today(clock);
        var deleted = 0;
        foreach (var rule in profile.Retention)
        {
            var described = RetentionSchedule.Describe(rule);
            try
            {
                int done;
                do
                {
                    done = await BatchAsync(db, rule, profile.Retention, described, today, clock, ct);
                    deleted += Math.Max(done, 0);
                } while (done == Batch);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Someone changed a case of the batch meanwhile: this rule's next batch waits for the next run.
            }
        }
        return deleted;
    }

    // One batch under one rule, in one transaction: how many were deleted, or -1 when another replica is at work.
    static Task<int> BatchAsync(CasesDbContext db, Contracts.Retention rule, IReadOnlyList<Contracts.Retention> rules, string described, DateOnly today, TimeProvider clock,
        CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (!await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock(hashtext('harbour-retention')) AS \"Value\"").SingleAsync(ct))
                return -1;
            var due = await db.Cases.DueBy(rule, rules, today).OrderBy(c => c.SubmittedAt).Take(Batch).ToListAsync(ct);
            foreach (var found in due) await DeleteAsync(db, found, described, "retention", clock, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return due.Count;
        });

    // Deletes the case and everything on it (to be saved by the caller, with what it adds): why, in words, goes into the
    // deletion log, the audit entry (by actor) and CaseDeleted.
    internal static async Task DeleteAsync(CasesDbContext db, Case found, string rule, string actor, TimeProvider clock, CancellationToken ct)
    {
        var (id, report) = (found.Id, found.ReportId);
        await db.Steps.Where(x => x.CaseId == id).ExecuteDeleteAsync(ct);
        await db.Timeline.Where(x => x.CaseId == id).ExecuteDeleteAsync(ct);
        await db.Checklist.Where(x => x.CaseId == id).ExecuteDeleteAsync(ct);
        await db.Tasks.Where(x => x.CaseId == id).ExecuteDeleteAsync(ct);
        await db.Alerts.Where(x => x.CaseId == id).ExecuteDeleteAsync(ct);
        await db.Referrals.Where(x => x.CaseId == id).ExecuteDeleteAsync(ct);
        await db.Meetings.Where(x => x.CaseId == id).ExecuteDeleteAsync(ct);
        await db.LegalAdvice.Where(x => x.CaseId == id).ExecuteDeleteAsync(ct);
        await db.Involvements.Where(x => x.CaseId == id).ExecuteDeleteAsync(ct);
        await db.Disclosures.Where(x => x.ReportId == report).ExecuteDeleteAsync(ct);
        await db.Messages.Where(x => x.ReportId == report).ExecuteDeleteAsync(ct);
        await db.Evidence.Where(x => x.ReportId == report).ExecuteDeleteAsync(ct);
        await db.ForgetEverythingAboutAsync(report, found.Reference, ct);
        db.Cases.Remove(found);
        db.Deletions.Add(Deletion.Of(found, rule, clock));
        db.AuditLog.Add(AuditEntry.By(actor, "case.deleted", clock, id, rule));
        db.Outbox.Add(OutboxMessage.For(new CaseDeleted(report, found.Reference, rule, clock.GetUtcNow()), clock));
    }
}
