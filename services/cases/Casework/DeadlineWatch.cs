using Harbour.Cases.Audit;
using Harbour.Cases.Departments;
using Harbour.Contracts;
using Harbour.Profile;
using Harbour.ServiceDefaults;
using Harbour.ServiceDefaults.Outbox;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Harbour.Cases.Casework;

// Raises SlaBreached (and DeadlineMissed for analytics) once per case and step when a deadline passes unmet (the day after
// the UK date it was due), for open cases; and DepartmentAlertUnacknowledged once per delivered department alert not acknowledged by its date (within 30
// days of sending: a case reopened months later does not remind a department of an old alert). Scheduled by Quartz.NET every Casework:DeadlineWatchInterval (5 minutes); with several replicas, one works
// at a time (a PostgreSQL advisory lock) and a step is marked breached in the same statement that finds it, so a breach
// is raised once across restarts and replicas. The event goes through the outbox with the mark.
[DisallowConcurrentExecution]
public sealed class DeadlineWatch(CasesDbContext db, Sealer sealer, [FromKeyedServices(Sealer.Mail)] Sealer mail, TimeProvider clock,
    ILogger<DeadlineWatch> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var quiet = Quiet.Begin();
        var raised = await RaiseAsync(db, sealer, mail, clock, cancellationToken);
        if (raised > 0) log.LogInformation("{Count} deadlines passed unmet; the people responsible are being told", raised);
    }

    sealed class Breach
    {
        public Guid CaseId { get; init; }
        public string Step { get; init; } = "";
        public DateOnly DueOn { get; init; }
    }

    sealed class OverdueAlert
    {
        public Guid Id { get; init; }
        public Guid CaseId { get; init; }
        public string Department { get; init; } = "";
        public DateOnly AcknowledgeBy { get; init; }
        public string RequestedById { get; init; } = "";
    }

    // Response steps past their date, and department alerts past the date to acknowledge them by (the department is reminded
    // and whoever has the case gets a task to follow it up). Returns how many were raised.
    // The reminder's new link secret is sealed with the mail key (mail), tasks with the report key (sealer).
    public static async Task<int> RaiseAsync(CasesDbContext db, Sealer sealer, Sealer mail, TimeProvider clock, CancellationToken ct)
    {
        var today = UkTime.Today(clock);
        var now = clock.GetUtcNow();
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            // A retry starts clean: nothing of a failed attempt is added twice.
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (!await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock(hashtext('harbour-deadline-watch')) AS \"Value\"").SingleAsync(ct))
                return 0;
            var breaches = await db.Database.SqlQuery<Breach>($"""
                UPDATE case_steps s SET breached_at = {now}
                FROM cases c
                WHERE s.case_id = c.id AND s.met_at IS NULL AND s.breached_at IS NULL AND s.due_on < {today} AND c.status <> {CaseStatuses.Closed}
                RETURNING s.case_id, s.step, s.due_on
                """).ToListAsync(ct);
            foreach (var breach in breaches)
            {
                var found = await db.Cases.SingleAsync(c => c.Id == breach.CaseId, ct);
                db.Outbox.Add(OutboxMessage.For(new SlaBreached(Guid.CreateVersion7(), found.Reference, breach.Step, breach.DueOn,
                    await RecipientsAsync(db, found, ct)), clock));
                db.Outbox.Add(OutboxMessage.For(new DeadlineMissed(found.ReportId, breach.Step, breach.DueOn), clock));
                db.AuditLog.Add(AuditEntry.By("system", "case.deadline-missed", clock, found.Id, $"{breach.Step} due by {breach.DueOn:yyyy-MM-dd}"));
            }
            var overdue = await db.Database.SqlQuery<OverdueAlert>($"""
                UPDATE department_alerts a SET reminded_at = {now}
                FROM cases c
                WHERE a.case_id = c.id AND a.delivered_at IS NOT NULL AND a.acknowledged_at IS NULL AND a.reminded_at IS NULL
                    AND a.acknowledge_by < {today} AND a.requested_at > {now.AddDays(-30)} AND c.status <> {CaseStatuses.Closed}
                RETURNING a.id, a.case_id, a.department, a.acknowledge_by, a.requested_by_id
                """).ToListAsync(ct);
            foreach (var alert in overdue)
            {
                var found = await db.Cases.SingleAsync(c => c.Id == alert.CaseId, ct);
                // A new link's secret travels in the reminder: the row keeps no copy once the broker has it.
                db.Outbox.Add(OutboxMessage.For(new DepartmentAlertUnacknowledged(alert.Id, alert.AcknowledgeBy, mail.Seal(SecretTokens.New())), clock, secret: true));
                db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.AlertReminded, "Harbour", clock, subject: alert.Id.ToString()));
                if (await db.FollowUpOwnerAsync(found, alert.RequestedById, ct) is { } owner)
                    db.AddTask(found, $"Ask {alert.Department} whether they acted: they had not acknowledged the alert by {alert.AcknowledgeBy:d MMMM}", today,
                        owner, "Harbour", sealer, clock);
                db.AuditLog.Add(AuditEntry.By("system", "case.alert-unacknowledged", clock, found.Id, alert.Department));
            }
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return breaches.Count + overdue.Count;
        });
    }

    // The assignee and the leads of the case's teams; with nobody assigned, every case manager of its teams and their leads.
    static async Task<List<Recipient>> RecipientsAsync(CasesDbContext db, Case found, CancellationToken ct)
    {
        var teams = found.Teams;
        var people = await (from u in db.Users
                            where u.DisabledAt == null && !db.Involvements.Any(i => i.CaseId == found.Id && i.UserId == u.Id)
                                && (u.Id == found.AssigneeId
                                    || (u.TeamLead && u.Teams.Any(t => teams.Contains(t)))
                                    || (found.AssigneeId == null && u.Teams.Any(t => teams.Contains(t))
                                        && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == StaffRoles.CaseManager))))
                            orderby u.DisplayName
                            select new Recipient(u.Email!, u.DisplayName)).ToListAsync(ct);
        return people.DistinctBy(p => p.Email.ToUpperInvariant()).ToList();
    }
}
