using System.Security.Claims;
using Harbour.Cases.Audit;
using Harbour.Cases.Casework;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Retention;

/// <summary>An Admin's decision on a request to erase a case (UK GDPR Article 17), on the case page
/// (<c>POST /cases/{reference}?handler=Erasure</c>): Decision "erase", with Confirm the case's reference typed again (the case
/// and everything on it go at once, here and in intake and notifications, as at the end of its retention period); or
/// "refuse", with Ground a code of <see cref="ErasureGrounds"/>, recorded on the timeline.</summary>
public sealed record ErasureRequest(string? Decision, string? Confirm = null, string? Ground = null);

/// <summary>Why a request to erase may be refused (UK GDPR Article 17(3)).</summary>
public static class ErasureGrounds
{
    public const string LegalClaims = "legal-claims", LegalObligation = "legal-obligation", PublicTask = "public-task";
    public static readonly Terms Terms = new(
        new(LegalClaims, "Needed to establish, exercise or defend legal claims (Article 17(3)(e))"),
        new(LegalObligation, "Kept to meet a legal obligation (Article 17(3)(b))"),
        new(PublicTask, "Needed for a task in the public interest: responding to harassment (Article 17(3)(b))"));
}

public static class Erasure
{
    public const string Rule = "erased on request (UK GDPR Article 17)";

    // Found false: not a case the Admin can see (or the caller is no Admin): the same 404 as a case that does not exist.
    public static async Task<CaseWorkResult> DecideErasureAsync(this CasesDbContext db, string reference, ErasureRequest request,
        ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        if (!user.IsInRole(StaffRoles.Admin) || await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found)
            return new(false);
        switch (request.Decision)
        {
            case "erase":
                if (found.LegalHoldSince is not null)
                    return new(true, new("decision", "The case is on legal hold: lift the hold first, or refuse the request for legal claims."));
                if (!string.Equals(request.Confirm?.Trim(), reference, StringComparison.OrdinalIgnoreCase))
                    return new(true, new("confirm", $"Type the case's reference, {reference}, to confirm: the case and everything on it go for good."));
                await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
                {
                    await using var transaction = await db.Database.BeginTransactionAsync(ct);
                    await RetentionSweep.DeleteAsync(db, found, Rule, AuditEntry.ActorOf(user), clock, ct);
                    await db.SaveChangesAsync(ct);
                    await transaction.CommitAsync(ct);
                });
                return new(true);
            case "refuse":
                if (!ErasureGrounds.Terms.Has(request.Ground))
                    return new(true, new("ground", "Choose the ground on which the request is refused."));
                db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.ErasureRefused, AuditEntry.ActorOf(user), clock, subject: request.Ground));
                db.AuditLog.Add(AuditEntry.By(user, "case.erasure-refused", clock, found.Id, request.Ground));
                await db.SaveChangesAsync(ct);
                return new(true);
            default:
                return new(true, new("decision", "Choose whether to erase the case or refuse the request."));
        }
    }
}
