using System.Security.Claims;
using Harbour.Cases.Audit;
using Harbour.Cases.Casework;
using Harbour.Cases.Departments;
using Harbour.Cases.Profile;
using Harbour.Contracts;
using Harbour.Profile;
using Harbour.ServiceDefaults.Outbox;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Support;

// The support plan: services suggested to the reporter from the directory, a check-in task to ask whether they reached them,
// and what became of each. The reporter sees the services suggested on their follow-up page (SupportSuggested).
public static class Referrals
{
    // The directory as it fits the case: services for its categories (or every category) that serve the reporter's role,
    // urgent first. The rest of the directory stays available.
    public static IReadOnlyList<SupportService> SupportFor(this InstitutionProfile profile, Case c) =>
        profile.Support
            .Where(s => (s.Categories.Count == 0 || s.Categories.Any(c.Categories.Contains)) && s.Serves.Contains(c.ReporterRole))
            .OrderByDescending(s => s.Urgent).ThenBy(s => s.Name).ToList();

    public static async Task<CaseWorkResult> RecordReferralAsync(this CasesDbContext db, string reference, ReferralRequest request, ClaimsPrincipal user,
        Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return new(false);
        // The same referral sent again (a double click, a retried request) is the one already kept.
        if (request.ReferralId is { } id && await db.Referrals.Where(r => r.Id == id).Select(r => (Guid?)r.CaseId).SingleOrDefaultAsync(ct) is { } caseOf)
            return caseOf == found.Id ? new(true) : new(true, new("referralId", "That id is taken: send the referral with a new one."));
        if (found.Status == CaseStatuses.Closed) return new(true, new("serviceId", "The case is closed: reopen it to add to the support plan."));
        var profile = (await db.CurrentProfileAsync(ct))?.Profile ?? DefaultProfile.Value;
        if (profile.Support.FirstOrDefault(s => s.Id == request.ServiceId) is not { } service)
            return new(true, new("serviceId", "Choose a service from the support directory."));
        if (!ReferralKinds.Terms.Has(request.How))
            return new(true, new("how", $"Say how: {Terms.Listed(ReferralKinds.Terms.Select(t => t.Label.ToLowerInvariant()))}."));
        var today = UkTime.Today(clock);
        var madeOn = request.MadeOn ?? today;
        if (madeOn > today) return new(true, new("madeOn", "Give the date it was made: today or earlier."));
        var checkIn = request.CheckInOn ?? WorkingDays.After(clock.GetUtcNow(), 5, profile.Closures);
        if (checkIn < today) return new(true, new("checkInOn", "Give the date to check in with the reporter: today or later."));

        var actor = AuditEntry.ActorOf(user);
        var referral = new Referral
        {
            Id = request.ReferralId is { } given && given != Guid.Empty ? given : Guid.CreateVersion7(), CaseId = found.Id, ServiceId = service.Id,
            Service = service.Name, How = request.How!, MadeOn = madeOn, RecordedBy = actor, RecordedAt = clock.GetUtcNow(),
        };
        db.Referrals.Add(referral);
        db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.Referral, actor, clock, subject: referral.Id.ToString()));
        db.AddTask(found, $"Check in: did the reporter reach {service.Name}, and did it help?", checkIn,
            await db.FollowUpOwnerAsync(found, user.FindFirstValue("sub")!, ct) ?? user.FindFirstValue("sub")!,
            actor, sealer, clock);
        db.Outbox.Add(OutboxMessage.For(new SupportSuggested(referral.Id, found.ReportId, service.Id, referral.How, madeOn, referral.RecordedAt), clock));
        db.AuditLog.Add(AuditEntry.By(user, "case.referral-recorded", clock, found.Id, $"{service.Id}: {referral.How}"));
        await db.SaveChangesAsync(ct);
        return new(true);
    }

    public static async Task<CaseWorkResult> RecordUptakeAsync(this CasesDbContext db, string reference, Guid referralId, UptakeRequest request,
        ClaimsPrincipal user, Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return new(false);
        if (await db.Referrals.SingleOrDefaultAsync(r => r.Id == referralId && r.CaseId == found.Id, ct) is not { } referral)
            return new(true, new("referral", "There is no such referral on this case."));
        if (!ReferralUptakes.Terms.Has(request.Uptake))
            return new(true, new($"uptake-{referralId}", $"Choose: {Terms.Listed(ReferralUptakes.Terms.Select(t => t.Label.ToLowerInvariant()))}."));
        var helped = string.IsNullOrWhiteSpace(request.Helped) ? null : request.Helped;
        if (helped is not null && !ReferralHelped.Terms.Has(helped)) return new(true, new($"helped-{referralId}", "Choose whether it helped, or leave it empty."));
        if (helped is not null && request.Uptake != ReferralUptakes.TakenUp)
            return new(true, new($"helped-{referralId}", "Whether it helped is known only for a service taken up: leave it empty."));
        var note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim();
        if (Limits.IsOver(note, Limits.Message)) return new(true, new($"note-{referralId}", $"Keep the note under {Limits.Message:N0} characters."));
        if (referral.Uptake == request.Uptake && referral.Helped == helped && note is null) return new(true);

        var actor = AuditEntry.ActorOf(user);
        (referral.Uptake, referral.Helped, referral.UptakeRecordedAt, referral.UptakeRecordedBy) = (request.Uptake!, helped, clock.GetUtcNow(), actor);
        if (note is not null) referral.SealedNote = sealer.Seal(note);
        db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.ReferralUptake, actor, clock, subject: $"{referral.Id}/{referral.Uptake}/{helped}",
            sealedText: note is null ? null : referral.SealedNote));
        db.Outbox.Add(OutboxMessage.For(new ReferralUptakeRecorded(referral.Id, found.ReportId, referral.ServiceId, referral.Uptake, helped, clock.GetUtcNow()), clock));
        db.AuditLog.Add(AuditEntry.By(user, "case.referral-uptake", clock, found.Id, $"{referral.ServiceId}: {referral.Uptake}"));
        await db.SaveChangesAsync(ct);
        return new(true);
    }
}
