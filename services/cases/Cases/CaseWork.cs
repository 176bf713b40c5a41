using System.Security.Claims;
using Harbour.Cases.Audit;
using Harbour.ServiceDefaults.Messaging;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Cases;

public sealed record CaseReply(string? Body);

public sealed record CaseStatusChange(string? Status);

public sealed record FieldProblem(string Field, string Message);

public sealed record CaseWorkResult(bool Found, FieldProblem? Problem = null);

// What a case manager does on a case. Each change, its event for the reporter's side and its audit entry are
// saved together.
public static class CaseWork
{
    public const int MaxMessage = 5_000;

    public static async Task<CaseWorkResult> ReplyAsync(this CasesDbContext db, string reference, string? body, ClaimsPrincipal user,
        Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        if (await db.Cases.SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return new(false);
        if (string.IsNullOrWhiteSpace(body)) return new(true, new("body", "Write the message to the reporter."));
        if (body.Length > MaxMessage) return new(true, new("body", $"Keep a message under {MaxMessage:N0} characters."));

        var (message, sent) = CaseMessage.ToThe(found, body, AuditEntry.ActorOf(user), sealer, clock);
        db.Messages.Add(message);
        db.Outbox.Add(OutboxMessage.For(sent, clock));
        // A first reply means a case manager has the case.
        if (found.Status == CaseStatus.Received && found.ChangeStatus(CaseStatus.WithCaseManager, clock) is { } changed)
            db.Outbox.Add(OutboxMessage.For(changed, clock));
        db.AuditLog.Add(AuditEntry.By(user, "message.sent", clock, found.Id));
        await db.SaveChangesAsync(ct);
        return new(true);
    }

    public static async Task<CaseWorkResult> ChangeStatusAsync(this CasesDbContext db, string reference, string? status, ClaimsPrincipal user,
        TimeProvider clock, CancellationToken ct)
    {
        if (await db.Cases.SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return new(false);
        if (!CaseStatus.All.Contains(status)) return new(true, new("status", "Choose received, with-case-manager, action-taken or closed."));
        if (found.ChangeStatus(status!, clock) is not { } changed) return new(true);
        db.Outbox.Add(OutboxMessage.For(changed, clock));
        db.AuditLog.Add(AuditEntry.By(user, "case.status", clock, found.Id, status));
        await db.SaveChangesAsync(ct);
        return new(true);
    }
}
