using Harbour.Contracts;
using System.Security.Claims;
using Harbour.ServiceDefaults.Security;
using Harbour.Cases.Audit;
using Harbour.ServiceDefaults.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Casework;

public sealed record CaseReply(string? Body);

public sealed record CaseStatusChange(string? Status);

/// <summary>Who is involved in a case: a staff account id; none means the caller.</summary>
public sealed record InvolvementRequest(string? UserId);

public sealed record FieldProblem(string Field, string Message);

public sealed record CaseWorkResult(bool Found, FieldProblem? Problem = null);

// What a case manager does on a case. Each change, its event for the reporter's side and its audit entry are
// saved together.
public static class CaseActions
{
    public static async Task<CaseWorkResult> ReplyAsync(this CasesDbContext db, string reference, string? body, ClaimsPrincipal user,
        Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return new(false);
        if (string.IsNullOrWhiteSpace(body)) return new(true, new("body", "Write the message to the reporter."));
        if (body.Length > Limits.Message) return new(true, new("body", $"Keep a message under {Limits.Message:N0} characters."));

        var (message, sent) = CaseMessage.ToThe(found, body, AuditEntry.ActorOf(user), sealer, clock);
        db.Messages.Add(message);
        db.Outbox.Add(OutboxMessage.For(sent, clock));
        // A first reply means a case manager has the case.
        if (found.Status == CaseStatuses.Received && found.ChangeStatus(CaseStatuses.WithCaseManager, clock) is { } changed)
            db.Outbox.Add(OutboxMessage.For(changed, clock));
        db.AuditLog.Add(AuditEntry.By(user, "message.sent", clock, found.Id));
        await db.SaveChangesAsync(ct);
        return new(true);
    }

    public static async Task<CaseWorkResult> ChangeStatusAsync(this CasesDbContext db, string reference, string? status, ClaimsPrincipal user,
        TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return new(false);
        if (!CaseStatuses.Terms.Has(status)) return new(true, new("status", $"Choose one of: {string.Join(", ", CaseStatuses.Terms.Select(t => t.Label))}."));
        if (found.ChangeStatus(status!, clock) is not { } changed) return new(true);
        db.Outbox.Add(OutboxMessage.For(changed, clock));
        db.AuditLog.Add(AuditEntry.By(user, "case.status", clock, found.Id, status));
        await db.SaveChangesAsync(ct);
        return new(true);
    }

    // A conflict of interest: the person (themselves, or anyone when an admin records it) never sees the case again.
    public static async Task<CaseWorkResult> RecordInvolvementAsync(this CasesDbContext db, string reference, string? userId, ClaimsPrincipal user,
        TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return new(false);
        var self = user.FindFirstValue("sub")!;
        var involved = string.IsNullOrWhiteSpace(userId) ? self : userId.Trim();
        if (involved != self && !user.IsInRole(StaffRoles.Admin)) return new(true, new("userId", "Only an admin can record that someone else is involved."));
        if (await db.Users.FindAsync([involved], ct) is not { } person) return new(true, new("userId", "There is no such staff account."));
        if (!await db.Involvements.AnyAsync(i => i.CaseId == found.Id && i.UserId == involved, ct))
            db.Involvements.Add(new CaseInvolvement { CaseId = found.Id, UserId = involved, RecordedBy = AuditEntry.ActorOf(user), RecordedAt = clock.GetUtcNow() });
        db.AuditLog.Add(AuditEntry.By(user, "case.involvement-recorded", clock, found.Id, AuditEntry.ActorOf(person)));
        await db.SaveChangesAsync(ct);
        return new(true);
    }
}
