using System.Security.Claims;
using Harbour.Cases.Audit;
using Harbour.Cases.Casework;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Retention;

/// <summary>Why a case is placed on legal hold (<c>POST /cases/{reference}?handler=LegalHold</c>, Admins only): 1 to 5,000
/// characters, kept sealed on the case's timeline (a claim, a complaint to a regulator, an investigation, a police request).</summary>
public sealed record LegalHoldRequest(string? Reason);

// Placing and lifting a legal hold: Admins only (a case manager sees it on the case but cannot change it); each is on the
// timeline and in the audit log.
public static class LegalHolds
{
    public static async Task<CaseWorkResult> PlaceLegalHoldAsync(this CasesDbContext db, string reference, LegalHoldRequest request,
        ClaimsPrincipal user, Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        if (!user.IsInRole(StaffRoles.Admin) || await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found)
            return new(false);
        if (found.LegalHoldSince is not null) return new(true, new("holdReason", "The case is already on legal hold."));
        if (CaseActions.TextProblem("holdReason", request.Reason, Limits.Message, "Say why the case is kept: the claim, complaint or investigation.") is { } problem)
            return new(true, problem);
        found.PlaceLegalHold(AuditEntry.ActorOf(user), clock);
        db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.LegalHold, AuditEntry.ActorOf(user), clock, sealedText: sealer.Seal(request.Reason!.Trim())));
        db.AuditLog.Add(AuditEntry.By(user, "case.legal-hold-placed", clock, found.Id));
        await db.SaveChangesAsync(ct);
        return new(true);
    }

    public static async Task<CaseWorkResult> LiftLegalHoldAsync(this CasesDbContext db, string reference, ClaimsPrincipal user, TimeProvider clock,
        CancellationToken ct)
    {
        if (!user.IsInRole(StaffRoles.Admin) || await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found)
            return new(false);
        if (found.LegalHoldSince is null) return new(true);
        found.LiftLegalHold();
        db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.LegalHoldLifted, AuditEntry.ActorOf(user), clock));
        db.AuditLog.Add(AuditEntry.By(user, "case.legal-hold-lifted", clock, found.Id));
        await db.SaveChangesAsync(ct);
        return new(true);
    }
}
