using System.Security.Claims;
using Harbour.Cases.Audit;
using Harbour.Cases.Casework;
using Harbour.Cases.Departments;
using Harbour.Contracts;
using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Legal;

// Legal advice on a case is need-to-know within need-to-know (OWASP ASVS 5.0 V8.2.2, per object): of those who may see the case,
// only those responsible for it (NeedToKnow.IsResponsibleForAsync) may read or record it; everyone else gets exactly what a case they
// cannot see gets (not found). Every look is audited.
public static class LegalCompartment
{

    public static async Task<LegalCompartmentView?> ReadLegalAdviceAsync(this CasesDbContext db, string reference, ClaimsPrincipal user, Sealer sealer,
        TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).AsNoTracking().SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found
            || !await db.IsResponsibleForAsync(user, found, ct)) return null;
        db.AuditLog.Add(AuditEntry.By(user, "case.legal-advice-viewed", clock, found.Id));
        await db.SaveChangesAsync(ct);
        var requests = (await db.Alerts.AsNoTracking().Where(a => a.CaseId == found.Id && a.Purpose == AlertPurposes.LegalAdvice).OrderBy(a => a.RequestedAt)
            .ToListAsync(ct)).Select(a => a.ToView(sealer)).ToList();
        var advice = await db.LegalAdvice.AsNoTracking().Where(a => a.CaseId == found.Id).OrderBy(a => a.RecordedAt).ToListAsync(ct);
        return new LegalCompartmentView(found.Reference, requests,
            advice.Select(a => new LegalAdviceView(a.Id, sealer.Open<string>(a.SealedAdvice), a.RecordedBy, a.RecordedAt)).ToList());
    }

    // The advice, sealed in the compartment; the case's timeline says only that advice was recorded. Following it up with the
    // reporter is a task for whoever has the case (else whoever recorded it).
    public static async Task<CaseWorkResult> RecordLegalAdviceAsync(this CasesDbContext db, string reference, LegalAdviceRequest request,
        ClaimsPrincipal user, Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found
            || !await db.IsResponsibleForAsync(user, found, ct)) return new(false);
        if (request.AdviceId is { } id && await db.LegalAdvice.Where(a => a.Id == id).Select(a => (Guid?)a.CaseId).SingleOrDefaultAsync(ct) is { } caseOf)
            return caseOf == found.Id ? new(true) : new(true, new("adviceId", "That id is taken: send the advice with a new one."));
        if (string.IsNullOrWhiteSpace(request.Advice)) return new(true, new("advice", "Write down the advice."));
        var advice = request.Advice.Trim();
        if (Limits.IsOver(advice, Limits.Message)) return new(true, new("advice", $"Keep it under {Limits.Message:N0} characters."));
        if (Limits.HasHiddenCharacters(advice)) return new(true, new("advice", "The text holds characters that cannot be kept (control characters or direction overrides)."));
        var today = UkTime.Today(clock);
        var followUp = request.FollowUpOn ?? WorkingDays.After(clock.GetUtcNow(), 5, (await db.ProfileOfAsync(found, ct)).Closures);
        if (followUp < today) return new(true, new("followUpOn", "Give the date to follow it up with the reporter: today or later."));

        var actor = AuditEntry.ActorOf(user);
        var kept = new LegalAdvice
        {
            Id = request.AdviceId is { } given && given != Guid.Empty ? given : Guid.CreateVersion7(), CaseId = found.Id,
            SealedAdvice = sealer.Seal(advice), RecordedBy = actor, RecordedAt = clock.GetUtcNow(),
        };
        db.LegalAdvice.Add(kept);
        db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.LegalAdvice, actor, clock, subject: kept.Id.ToString()));
        db.AddTask(found, "Follow up the legal advice with the reporter", followUp,
            await db.FollowUpOwnerAsync(found, user.FindFirstValue("sub")!, ct) ?? user.FindFirstValue("sub")!, actor, sealer, clock);
        db.AuditLog.Add(AuditEntry.By(user, "case.legal-advice-recorded", clock, found.Id));
        await db.SaveChangesAsync(ct);
        return new(true);
    }
}
