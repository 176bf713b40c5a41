using System.Security.Claims;
using Harbour.Cases.Audit;
using Harbour.Cases.Departments;
using Harbour.Cases.Legal;
using Harbour.Cases.Meetings;
using Harbour.Cases.Support;
using Harbour.Contracts;
using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Casework;

/// <summary>Someone a case can be given to: staff account id, display name, work address, teams, and whether they are an admin.</summary>
public sealed record StaffChoice(string Id, string Name, string Email, IReadOnlyList<string> Teams, bool Admin)
{
    // Whether they may see the case as it stands (NeedToKnow): an admin, the assignee, or one of its teams (any, for a case with none).
    public bool Sees(Case c) => Admin || c.AssigneeId == Id || c.Teams.Count == 0 || Teams.Any(c.Teams.Contains);
}

// Reading cases, for the API and the pages alike.
public static class CaseReads
{
    // Every read is recorded, whether through the API or the pages (the queue: CaseQueue), as audit says (a print: case.printed).
    public static async Task<CaseView?> ViewCaseAsync(this CasesDbContext db, string reference, Sealer sealer,
        ClaimsPrincipal user, TimeProvider clock, CancellationToken ct, string audit = "case.viewed", bool markRead = true)
    {
        var found = await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct);
        if (found is null) return null;
        db.AuditLog.Add(AuditEntry.By(user, audit, clock, found.Id));
        // A case opened before clocks existed gets them now, and its next step with them: saved before the read below
        // moves the case's row version on.
        await db.EnsureStepsAsync(found, ct);
        await db.SaveChangesAsync(ct);
        // Read: the reporter's messages so far are no longer unread (outside the case's concurrency check: reading changes no decision).
        if (markRead) await db.Cases.Where(c => c.Id == found.Id).ExecuteUpdateAsync(set => set.SetProperty(c => c.LastReadAt, clock.GetUtcNow()), ct);
        var summary = found.ToSummary();
        var profile = await db.ProfileVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Version == found.ProfileVersion, ct);
        var plan = CasePlan.For(summary, found.ProfileVersion, profile?.Profile ?? DefaultProfile.Value);
        var messages = await db.Messages.AsNoTracking().Where(m => m.ReportId == found.ReportId).OrderBy(m => m.At).ToListAsync(ct);
        var evidence = await db.Evidence.Where(e => e.ReportId == found.ReportId).OrderBy(e => e.SubmittedAt)
            .Select(e => new EvidenceView(e.Id, e.FileName, e.ContentType, e.Size)).ToListAsync(ct);
        var work = await db.WorkOnAsync(found, profile?.Profile ?? DefaultProfile.Value, messages, evidence, sealer, clock,
            ct);
        return new CaseView(summary, sealer.Open<ReportDetails>(found.SealedDetails), plan, messages.Select(m => m.Open(sealer)).ToList(), evidence, work,
            found.RedactedFields);
    }

    // Who may be given a case: active case managers and admins who are not recorded as involved in it (any case: null).
    public static async Task<List<StaffChoice>> AssignableStaffAsync(this CasesDbContext db, Case? c, CancellationToken ct) =>
        await (from u in db.Users
               where u.DisabledAt == null && (c == null || !db.Involvements.Any(i => i.CaseId == c.Id && i.UserId == u.Id))
                   && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && (r.Name == StaffRoles.CaseManager || r.Name == StaffRoles.Admin)))
               orderby u.DisplayName
               select new StaffChoice(u.Id, u.DisplayName, u.Email!, u.Teams,
                   db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == StaffRoles.Admin)))).ToListAsync(ct);

    static async Task<CaseWorkView> WorkOnAsync(this CasesDbContext db, Case found, InstitutionProfile profile, List<CaseMessage> messages,
        List<EvidenceView> evidence, Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        var steps = await db.Steps.AsNoTracking().Where(s => s.CaseId == found.Id).OrderBy(s => s.DueOn).ThenBy(s => s.Step).ToListAsync(ct);
        var entries = await db.Timeline.AsNoTracking().Where(t => t.CaseId == found.Id).OrderBy(t => t.At).ToListAsync(ct);
        var decided = await db.Checklist.AsNoTracking().Where(i => i.CaseId == found.Id).ToDictionaryAsync(i => i.Action, ct);
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.CaseId == found.Id).OrderBy(t => t.CreatedAt).ToListAsync(ct);
        var referrals = (await db.Referrals.AsNoTracking().Where(r => r.CaseId == found.Id).OrderBy(r => r.RecordedAt).ToListAsync(ct))
            .Select(r => new ReferralView(r.Id, r.ServiceId, r.Service, r.How, r.MadeOn, r.RecordedBy, r.Uptake, r.Helped, Open(r.SealedNote),
                r.UptakeRecordedAt, r.UptakeRecordedBy)).ToList();
        var meetings = await db.Meetings.AsNoTracking().Where(m => m.CaseId == found.Id).OrderBy(m => m.StartsAt).ToListAsync(ct);
        var allAlerts = (await db.Alerts.AsNoTracking().Where(a => a.CaseId == found.Id).OrderBy(a => a.RequestedAt).ToListAsync(ct))
            .Select(a => a.ToView(sealer)).ToList();
        // Requests for legal advice are read in the legal compartment, where every look is audited: the case shows only that
        // advice was asked for.
        var alerts = allAlerts.Where(a => a.Purpose == AlertPurposes.Inform).ToList();
        var ids = entries.Select(e => e.Subject).Concat(tasks.Select(t => t.OwnerId)).Concat(meetings.Select(m => m.WithId)).Append(found.AssigneeId)
            .OfType<string>().Distinct().ToList();
        var names = await db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        string NameOf(string? id) => id is not null && names.TryGetValue(id, out var name) ? name : "someone no longer on the staff list";
        string Outcome(string? id) => profile.Outcomes.FirstOrDefault(o => o.Id == id)?.Name ?? id ?? "";
        string? Open(string? text) => text is null ? null : sealer.Open<string>(text);
        var today = UkTime.Today(clock);
        var checklist = CaseChecklistItems.For(found, profile).Select(a => decided.TryGetValue(a.Key, out var d)
            ? a with { Decision = d.Decision, By = d.By, At = d.At, Reason = Open(d.SealedReason), TaskId = d.TaskId } : a).ToList();
        var taskViews = tasks.Select(t => new TaskView(t.Id, Open(t.SealedTitle)!, t.DueOn, t.OwnerId, NameOf(t.OwnerId), t.DoneAt is null && t.DueOn < today,
            t.DoneAt, t.DoneBy)).ToList();
        string ActionText(string? key) => checklist.FirstOrDefault(a => a.Key == key)?.Text ?? key ?? "";
        TaskView? TaskOf(string? id) => taskViews.FirstOrDefault(t => t.Id.ToString() == id);
        AlertView? AlertOf(string? id) => allAlerts.FirstOrDefault(a => a.Id.ToString() == id);
        string To(string? id) => AlertOf(id)?.Department ?? "the department";
        ReferralView? ReferralOf(string? id) => referrals.FirstOrDefault(r => r.Id.ToString() == id);
        var mayWork = meetings.Count == 0 ? [] : (await db.AssignableStaffAsync(found, ct)).Where(s => s.Sees(found)).Select(s => s.Id).ToHashSet();
        var reporterEmail = meetings.Count > 0 && ReporterContact.EmailIfSafe(sealer.Open<ReportDetails>(found.SealedDetails)) is not null;
        var meetingViews = meetings.Select(m => new MeetingView(m.Id, m.StartsAt, m.Minutes, m.Format, m.Where, m.WithId, NameOf(m.WithId), m.Status,
            Open(m.SealedNote), m.Sequence, mayWork.Contains(m.WithId), m.EmailReporter && reporterEmail)).ToList();
        // Subject: meeting id/when it was then (ISO 8601), as arranged at that moment.
        string MeetingAt(string? subject) => subject?.Split('/', 2) is [_, var at] && DateTimeOffset.TryParse(at, null,
            System.Globalization.DateTimeStyles.RoundtripKind, out var when) ? when.InUk().ToString("dddd d MMMM yyyy 'at' HH:mm") : "";

        var timeline = new List<TimelineItem> { new(found.SubmittedAt, "report", "Reporter", "Report received", null) };
        timeline.AddRange(messages.Select(m => m.From == MessageSenders.Reporter
            ? new TimelineItem(m.At, "message", "Reporter", "The reporter wrote (see the conversation)", null)
            : new TimelineItem(m.At, "message", m.SentBy ?? "Case manager", "Wrote to the reporter (see the conversation)", null)));
        timeline.AddRange(entries.Select(e => new TimelineItem(e.At, e.Kind, e.Actor, e.Kind switch
        {
            TimelineKinds.Assigned => e.Subject!.StartsWith("team:") ? $"Given to the {e.Subject[5..]} team" : $"Assigned to {NameOf(e.Subject)}",
            TimelineKinds.Status => $"Status: {CaseStatuses.Terms.Label(e.Subject!)}",
            TimelineKinds.Note => "Note",
            TimelineKinds.Correction => "Correction of an earlier note",
            TimelineKinds.StepMet => $"{ResponseSteps.Label(e.Subject!)} done"
                + (steps.FirstOrDefault(s => s.Step == e.Subject) is { How: { } how } ? $" ({FirstContactMethods.Terms.Label(how)})" : ""),
            TimelineKinds.Closed => $"Closed: {Outcome(e.Subject)}",
            TimelineKinds.Reopened => "Reopened",
            TimelineKinds.LegalHold => "Legal hold placed: kept past its retention period until lifted",
            TimelineKinds.LegalHoldLifted => "Legal hold lifted",
            TimelineKinds.ErasureRefused => $"Request to erase refused: {Harbour.Cases.Retention.ErasureGrounds.Terms.Label(e.Subject)}",
            TimelineKinds.ActionDone => $"Done: {ActionText(e.Subject)}",
            TimelineKinds.ActionSkipped => $"Skipped: {ActionText(e.Subject)}",
            TimelineKinds.TaskAdded => TaskOf(e.Subject) is { } added ? $"Task for {added.Owner} by {added.DueOn:d MMMM yyyy}: {added.Title}" : "Task added",
            TimelineKinds.TaskDone => TaskOf(e.Subject) is { } done ? $"Task done: {done.Title}" : "Task done",
            TimelineKinds.Tagged => Open(e.SealedText) is { Length: > 0 } tags ? $"Tags: {tags}" : "Tags removed",
            TimelineKinds.Unassigned => "Back in the queue: the assignee is involved in the case",
            TimelineKinds.InvolvementRemoved => "A record that a colleague is involved in the case, made by mistake, was removed",
            TimelineKinds.AlertSent => AlertOf(e.Subject) is { } sent
                ? $"{(sent.Purpose == AlertPurposes.LegalAdvice ? "Asked" : "Informed")} {sent.Department}{(sent.Purpose == AlertPurposes.LegalAdvice ? " for legal advice" : "")}{(sent.Urgent ? " (urgent)" : "")} by email to {sent.Recipient}"
                : "Informed a department",
            TimelineKinds.LegalAdvice => "Legal advice recorded (in the legal compartment)",
            TimelineKinds.AlertDelivered => $"The alert to {To(e.Subject)} reached their mail server",
            TimelineKinds.AlertAcknowledged => $"{To(e.Subject)} acknowledged the alert (through the link in the email)",
            TimelineKinds.AlertFailed => $"{To(e.Subject)} was NOT told: {AlertOf(e.Subject)?.FailureReason ?? "the email could not be sent"}. Tell them another way, or send the alert again",
            TimelineKinds.AlertReminded => $"{To(e.Subject)} had not acknowledged the alert by {AlertOf(e.Subject)?.AcknowledgeBy:d MMMM yyyy}: they were reminded",
            TimelineKinds.Referral => ReferralOf(e.Subject) is { } made ? $"{ReferralKinds.Terms.Label(made.How)}: {made.Service}" : "Referral",
            // Subject: referral id/uptake/helped, as recorded then.
            TimelineKinds.ReferralUptake => e.Subject!.Split('/') is [var id, var uptake, var helped] && ReferralOf(id) is { } taken
                ? $"{taken.Service}: {ReferralUptakes.Terms.Label(uptake).ToLowerInvariant()}{(helped.Length == 0 ? "" : $", {ReferralHelped.Terms.Label(helped).ToLowerInvariant()}")}"
                : "Referral followed up",
            TimelineKinds.MeetingArranged => $"Meeting arranged for {MeetingAt(e.Subject)}",
            TimelineKinds.MeetingMoved => $"Meeting moved to {MeetingAt(e.Subject)}",
            TimelineKinds.MeetingCancelled => $"Meeting of {MeetingAt(e.Subject)} cancelled",
            TimelineKinds.MeetingHeld => $"Meeting of {MeetingAt(e.Subject)} held",
            TimelineKinds.MeetingMissed => $"The reporter did not come to the meeting of {MeetingAt(e.Subject)}",
            TimelineKinds.IdentityConsent => $"The reporter agreed that {To(e.Subject)} is told who they are",
            // Subject: field:code, or message:id.
            TimelineKinds.Redacted => e.Subject!.Split(':', 2) is ["field", var field] ? $"Redacted: {RedactableFields.Terms.Label(field)}"
                : messages.FirstOrDefault(m => $"message:{m.Id}" == e.Subject) is { } gone
                    ? $"Redacted a message {(gone.From == MessageSenders.Reporter ? "from the reporter" : "to the reporter")} of {gone.At.InUk():d MMM yyyy HH:mm}"
                    : "Redacted a message",
            _ => e.Kind,
        }, e.Kind switch
        {
            TimelineKinds.Tagged => null,
            // A request for legal advice is read in the legal compartment, not on the timeline.
            TimelineKinds.AlertSent => AlertOf(e.Subject) is { Purpose: AlertPurposes.Inform } informed ? informed.Body : null,
            _ => Open(e.SealedText),
        }, e.Id, e.Corrects)));
        // A deadline missed stays on the timeline after the step is done late.
        foreach (var missed in steps.Where(s => s.BreachedAt is not null || (s.MetAt is null && s.DueOn < today)))
            timeline.Add(new TimelineItem(missed.BreachedAt ?? UkTime.StartOf(missed.DueOn.AddDays(1)), "deadline-missed", "Harbour",
                $"{ResponseSteps.Label(missed.Step)} was due by {missed.DueOn:d MMMM yyyy} and {(missed.MetAt is null ? "is not done" : "was not done in time")}", null));
        return new CaseWorkView(found.AssigneeId, found.AssigneeId is null ? null : NameOf(found.AssigneeId), found.Teams,
            steps.Select(s => new StepView(s.Step, ResponseSteps.Label(s.Step), s.DueOn, s.WorkingDays, s.State(clock), s.MetAt, s.MetBy, s.How)).ToList(),
            [.. timeline.OrderBy(t => t.At)], found.Outcome is null ? null : Outcome(found.Outcome), found.ClosedAt, Open(found.SealedLearningSummary),
            checklist, taskViews, found.Tags, alerts, referrals, meetingViews);
    }
}
