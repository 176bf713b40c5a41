using System.Security.Claims;
using Harbour.Cases.Audit;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Outbox;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Harbour.ServiceDefaults;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Staff;

// A staff member's signed-in session, held by cases so that it can end on the server: at sign-out, after
// Staff:IdleTimeout without use (30 minutes), or when an admin revokes it. The token in the browser names it ("sid") and
// expires after StaffAuthentication.Lifetime (8 hours) whatever happens (OWASP ASVS 5.0 V7.3, V7.4).
public sealed class StaffSession
{
    public Guid Id { get; private init; }
    public required string UserId { get; init; }
    public DateTimeOffset StartedAt { get; private init; }
    public DateTimeOffset LastSeenAt { get; private set; }
    // When the second factor was last checked in this session: as it started, then at each confirmation (StepUp).
    public DateTimeOffset SecondFactorAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
    public string? EndReason { get; private set; }

    // secondFactorAt: when the second factor was checked, if not now (by the university's provider, which says when in
    // auth_time); never later than now.
    public static StaffSession Start(string userId, TimeProvider clock, DateTimeOffset? secondFactorAt = null) =>
        new()
        {
            Id = Guid.CreateVersion7(), UserId = userId, StartedAt = clock.GetUtcNow(), LastSeenAt = clock.GetUtcNow(),
            SecondFactorAt = secondFactorAt is { } at && at < clock.GetUtcNow() ? at : clock.GetUtcNow(),
        };

    public void End(string reason, TimeProvider clock) => (EndedAt, EndReason) = (EndedAt ?? clock.GetUtcNow(), EndReason ?? reason);
}

public static class StaffSessions
{
    public static TimeSpan IdleTimeout(IConfiguration configuration) => configuration.GetValue("Staff:IdleTimeout", TimeSpan.FromMinutes(30));

    // Every request to cases with a staff token (AddStaffAuthentication(CheckAsync)): the token must name a session that has not ended and was used within the
    // idle timeout. Use is recorded at most every quarter of the timeout, not at every request. Only use of cases counts.
    public static async Task CheckAsync(TokenValidatedContext context)
    {
        var services = context.HttpContext.RequestServices;
        var db = services.GetRequiredService<CasesDbContext>();
        var clock = services.GetRequiredService<TimeProvider>();
        var idle = IdleTimeout(services.GetRequiredService<IConfiguration>());
        var now = clock.GetUtcNow();
        var owner = context.Principal?.FindFirstValue("sub");
        var session = Guid.TryParse(context.Principal?.FindFirstValue("sid"), out var id)
            ? await db.StaffSessions.AsNoTracking().Where(s => s.Id == id && s.UserId == owner)
                .Select(s => new { s.EndedAt, s.LastSeenAt, s.SecondFactorAt, Disabled = db.Users.Any(u => u.Id == s.UserId && u.DisabledAt != null) })
                .SingleOrDefaultAsync(context.HttpContext.RequestAborted)
            : null;
        if (session is null || session.EndedAt is not null || session.Disabled || now - session.LastSeenAt > idle)
        {
            context.Fail("The staff session has ended.");
            return;
        }
        // For the work that asks for a recent second factor (StepUp): when this session last checked one.
        ((ClaimsIdentity)context.Principal!.Identity!).AddClaim(new Claim(StepUp.Claim,
            session.SecondFactorAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (now - session.LastSeenAt > idle / 4)
            await db.StaffSessions.Where(s => s.Id == id).ExecuteUpdateAsync(set => set.SetProperty(s => s.LastSeenAt, now),
                context.HttpContext.RequestAborted);
    }

    // Signing out ends the session the request came with; the token in any copy of the cookie stops working at once.
    public static async Task EndAsync(this CasesDbContext db, ClaimsPrincipal user, string reason, TimeProvider clock, CancellationToken ct)
    {
        if (!Guid.TryParse(user.FindFirstValue("sid"), out var id) || await db.StaffSessions.FindAsync([id], ct) is not { } session) return;
        session.End(reason, clock);
        db.Outbox.Add(OutboxMessage.For(new StaffSessionEnded(session.Id, reason, clock.GetUtcNow()), clock));
        db.AuditLog.Add(AuditEntry.By(user, "staff.signed-out", clock, detail: reason));
        await db.SaveChangesAsync(ct);
    }

    // The second factor checked again in the session the request came with (StepUp). False when it has none or it ended.
    public static async Task<bool> SecondFactorConfirmedAsync(this CasesDbContext db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct) =>
        Guid.TryParse(user.FindFirstValue("sid"), out var id)
        && await db.StaffSessions.Where(s => s.Id == id && s.EndedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.SecondFactorAt, clock.GetUtcNow()), ct) == 1;

    // Every open session of one person, ended at once (an account disabled, a password or role changed).
    public static async Task<int> EndAllAsync(this CasesDbContext db, string userId, string reason, TimeProvider clock, CancellationToken ct)
    {
        var open = await db.StaffSessions.Where(s => s.UserId == userId && s.EndedAt == null).ToListAsync(ct);
        foreach (var session in open)
        {
            session.End(reason, clock);
            db.Outbox.Add(OutboxMessage.For(new StaffSessionEnded(session.Id, reason, clock.GetUtcNow()), clock));
        }
        await db.SaveChangesAsync(ct);
        return open.Count;
    }
}

// Ends the sessions left unused for the idle timeout and announces each end (StaffSessionEnded), so that the other
// services stop accepting their tokens too; cases itself already refuses them. Scheduled by Quartz.NET every
// Staff:IdleSweepInterval (a minute); one UPDATE ... RETURNING ends each session once, however many replicas sweep.
[Quartz.DisallowConcurrentExecution]
public sealed class IdleSessionSweep(CasesDbContext db, IConfiguration configuration, TimeProvider clock) : Quartz.IJob
{
    public async ValueTask Execute(Quartz.IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var quiet = Quiet.Begin();
        await SweepAsync(db, StaffSessions.IdleTimeout(configuration), clock, cancellationToken);
    }

    public static async Task<int> SweepAsync(CasesDbContext db, TimeSpan idle, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Sessions whose token has expired anyway are closed without telling anyone.
            await db.Database.ExecuteSqlAsync($"""
                UPDATE staff_sessions SET ended_at = {now}, end_reason = 'expired'
                WHERE ended_at IS NULL AND started_at < {now - StaffAuthentication.Lifetime}
                """, ct);
            var ended = await db.Database.SqlQuery<Guid>($"""
                UPDATE staff_sessions SET ended_at = {now}, end_reason = 'idle'
                WHERE ended_at IS NULL AND last_seen_at < {now - idle} RETURNING id AS "Value"
                """).ToListAsync(ct);
            foreach (var id in ended) db.Outbox.Add(OutboxMessage.For(new StaffSessionEnded(id, "idle", now), clock));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return ended.Count;
        });
    }
}
