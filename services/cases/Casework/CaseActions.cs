using Harbour.Contracts;
using System.Security.Claims;
using Harbour.ServiceDefaults.Security;
using Harbour.Cases.Audit;
using Harbour.Cases.Meetings;
using Harbour.Cases.Profile;
using Harbour.ServiceDefaults.Outbox;
using Harbour.Cases.Staff;
using Harbour.Profile;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Casework;

public sealed record CaseReply(string? Body);

/// <summary>A status change (<c>POST /api/cases/{reference}/status</c>): a code of CaseStatuses other than closed (close with
/// an outcome instead), and why, 1 to 5,000 characters, kept sealed on the timeline.</summary>
public sealed record CaseStatusChange(string? Status, string? Reason = null);

/// <summary>Who takes a case (<c>POST /api/cases/{reference}/assignment</c>): a staff account id of an active case manager or
/// admin not involved in the case, and/or a team (a specialism of the profile); an optional note for the timeline (sealed).</summary>
public sealed record AssignmentRequest(string? AssigneeId, string? Team = null, string? Note = null);

/// <summary>A step met (<c>POST /api/cases/{reference}/steps/{step}</c>); for first contact, how: phone, email, meeting or message.</summary>
public sealed record StepMetRequest(string? How = null);

/// <summary>An internal note, or a correction of one (never shown to the reporter; sealed): 1 to 5,000 characters.</summary>
public sealed record NoteRequest(string? Text);

/// <summary>A closure (<c>POST /api/cases/{reference}/closure</c>): an outcome code of the profile the case was opened under,
/// and an optional learning summary for the steering group, in general words, at most 4,000 characters.</summary>
public sealed record ClosureRequest(string? Outcome, string? LearningSummary = null);

/// <summary>A decision on one of the playbook's suggested actions (<c>POST /api/cases/{reference}/checklist/{action}</c>, the
/// action named as in the case's checklist, e.g. <c>sexual-harassment:0</c>): done; skipped, with a reason (1 to 5,000
/// characters, sealed); or task, with a due date (a UK date, today or later) and an owner (a staff account id of someone
/// who may take the case); the task's title is the action's text.</summary>
public sealed record ChecklistDecision(string? Decision, string? Reason = null, DateOnly? DueOn = null, string? OwnerId = null);

/// <summary>A task (<c>POST /api/cases/{reference}/tasks</c>): what to do (1 to 200 characters, sealed), by when (a UK date,
/// today or later), and who (a staff account id of someone who may take the case).</summary>
public sealed record TaskRequest(string? Title, DateOnly? DueOn, string? OwnerId);

/// <summary>The case's tags (<c>PUT /api/cases/{reference}/tags</c>), replacing those it had: at most 20, each 1 to 40
/// characters of letters, digits, spaces or hyphens; kept in lower case.</summary>
public sealed record TagsRequest(List<string>? Tags);

/// <summary>Why a closed case is reopened (<c>POST /api/cases/{reference}/reopening</c>): 1 to 5,000 characters, sealed.</summary>
public sealed record ReopeningRequest(string? Reason);

/// <summary>Who is involved in a case: a staff account id; none means the caller.</summary>
public sealed record InvolvementRequest(string? UserId);

public sealed record FieldProblem(string Field, string Message);

public sealed record CaseWorkResult(bool Found, FieldProblem? Problem = null);

// What a case manager does on a case. Each change, its event for the reporter's side and its audit entry are
// saved together.
public static class CaseActions
{
    public static async Task<CaseWorkResult> ReplyAsync(this CasesDbContext db, string reference, string? body, ClaimsPrincipal user,
        Sealer sealer, Sealer mail, TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return new(false);
        if (string.IsNullOrWhiteSpace(body)) return new(true, new("body", "Write the message to the reporter."));
        if (Limits.IsOver(body, Limits.Message)) return new(true, new("body", $"Keep a message under {Limits.Message:N0} characters."));

        var (message, sent) = CaseMessage.ToThe(found, body, AuditEntry.ActorOf(user), sealer, clock);
        db.Messages.Add(message);
        // Not kept once the broker has it: a redaction then leaves no copy of the text behind.
        db.Outbox.Add(OutboxMessage.For(sent, clock, secret: true));
        // A reporter who asked for email, and said it is safe, hears that a message waits (never what it says).
        if (ReporterContact.SealedEmailIfSafe(sealer.Open<ReportDetails>(found.SealedDetails), mail) is { } reporter)
            db.Outbox.Add(OutboxMessage.For(new ReporterMessageReady(message.Id, reporter,
                ((await db.CurrentProfileAsync(ct))?.Profile ?? Harbour.Profile.DefaultProfile.Value).Name), clock, secret: true));
        // A first reply means a case manager has the case, and is first contact with the reporter.
        if (found.Status is CaseStatuses.Received or CaseStatuses.Triaged) db.StatusChanged(found, CaseStatuses.WithCaseManager, null, user, clock);
        await db.MeetStepAsync(found, ResponseSteps.FirstContact, FirstContactMethods.Message, user, clock, ct);
        db.AuditLog.Add(AuditEntry.By(user, "message.sent", clock, found.Id));
        await db.SaveChangesAsync(ct);
        return new(true);
    }

    public static async Task<CaseWorkResult> ChangeStatusAsync(this CasesDbContext db, string reference, CaseStatusChange change, ClaimsPrincipal user,
        Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return new(false);
        if (found.Status == CaseStatuses.Closed) return new(true, new("status", "The case is closed: reopen it, with a reason, to change its status."));
        if (change.Status == CaseStatuses.Closed) return new(true, new("status", "Close the case with its outcome, below."));
        if (!CaseStatuses.Terms.Has(change.Status))
            return new(true, new("status", $"Choose one of: {Terms.Listed(CaseStatuses.Terms.Where(t => t.Code != CaseStatuses.Closed).Select(t => t.Label))}."));
        if (TextProblem("reason", change.Reason, Limits.Message, "Say why the status changes: the next person to read the case will want to know.") is { } problem)
            return new(true, problem);
        if (change.Status == found.Status) return new(true);
        db.StatusChanged(found, change.Status!, sealer.Seal(change.Reason!.Trim()), user, clock);
        db.AuditLog.Add(AuditEntry.By(user, "case.status", clock, found.Id, change.Status));
        await db.SaveChangesAsync(ct);
        return new(true);
    }

    // Given to a case manager (and/or a team). The assignee is emailed the reference and a link; assigning meets triage.
    public static async Task<CaseWorkResult> AssignAsync(this CasesDbContext db, string reference, AssignmentRequest request, ClaimsPrincipal user,
        Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return new(false);
        if (found.Status == CaseStatuses.Closed) return new(true, new("assigneeId", "The case is closed: reopen it to assign it."));
        var (assigneeId, team, note) = (Blank(request.AssigneeId), Blank(request.Team), Blank(request.Note));
        if (assigneeId is null && team is null) return new(true, new("assigneeId", "Choose a case manager or a team."));
        var assignee = assigneeId is null ? null : (await db.AssignableStaffAsync(found, ct)).FirstOrDefault(a => a.Id == assigneeId);
        if (assigneeId is not null && assignee is null)
            return new(true, new("assigneeId", "Choose a case manager from the list: an active case manager or admin who is not involved in this case."));
        if (team is not null && !(await db.TeamsAsync(ct)).Contains(team)) return new(true, new("team", "Choose a team from the list."));
        if (Limits.IsOver(note, Limits.Message)) return new(true, new("note", $"Keep the note under {Limits.Message:N0} characters."));
        // The same assignment sent again (a retry, a double click) is the one already made.
        if (note is null && assigneeId is not null && assigneeId == found.AssigneeId && (team is null || found.Teams.Contains(team))) return new(true);

        found.Assign(assigneeId, team);
        var actor = AuditEntry.ActorOf(user);
        db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.Assigned, actor, clock, subject: assigneeId ?? $"team:{team}",
            sealedText: note is null ? null : sealer.Seal(note)));
        await db.MeetStepAsync(found, ResponseSteps.Triage, null, user, clock, ct);
        if (found.Status == CaseStatuses.Received) db.StatusChanged(found, CaseStatuses.Triaged, null, user, clock);
        db.Outbox.Add(OutboxMessage.For(new CaseAssigned(Guid.CreateVersion7(), found.Reference, assignee?.Email, assignee?.Name, team,
            user.FindFirstValue("name") ?? "", clock.GetUtcNow(), ToThemselves: assigneeId == user.FindFirstValue("sub")), clock));
        db.AuditLog.Add(AuditEntry.By(user, "case.assigned", clock, found.Id, assignee is null ? $"team {team}" : $"{assignee.Name} ({assignee.Id})"));
        await db.SaveChangesAsync(ct);
        return new(true);
    }

    // A step of the response is done: first contact (how it was made), or any other step with a deadline.
    public static async Task<CaseWorkResult> RecordStepAsync(this CasesDbContext db, string reference, string step, StepMetRequest request,
        ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return new(false);
        await db.EnsureStepsAsync(found, ct);
        if (!await db.Steps.AnyAsync(s => s.CaseId == found.Id && s.Step == step, ct)) return new(true, new("step", "This case has no such step."));
        if (step == ResponseSteps.FirstContact && !FirstContactMethods.Terms.Has(request.How))
            return new(true, new("how", $"Say how you made contact: {Terms.Listed(FirstContactMethods.Terms.Select(t => t.Label))}."));
        await db.MeetStepAsync(found, step, step == ResponseSteps.FirstContact ? request.How : null, user, clock, ct);
        if (step == ResponseSteps.FirstContact && found.Status is CaseStatuses.Received or CaseStatuses.Triaged)
            db.StatusChanged(found, CaseStatuses.WithCaseManager, null, user, clock);
        db.AuditLog.Add(AuditEntry.By(user, "case.step-met", clock, found.Id, step));
        await db.SaveChangesAsync(ct);
        return new(true);
    }

    public static async Task<CaseWorkResult> AddNoteAsync(this CasesDbContext db, string reference, NoteRequest request, Guid? corrects,
        ClaimsPrincipal user, Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return new(false);
        if (TextProblem("text", request.Text, Limits.Message, "Write the note.") is { } problem) return new(true, problem);
        if (corrects is { } noteId && !await db.Timeline.AnyAsync(t => t.Id == noteId && t.CaseId == found.Id && t.Kind == TimelineKinds.Note, ct))
            return new(true, new("corrects", "There is no such note on this case."));
        db.Timeline.Add(TimelineEntry.On(found, corrects is null ? TimelineKinds.Note : TimelineKinds.Correction, AuditEntry.ActorOf(user), clock,
            sealedText: sealer.Seal(request.Text!.Trim()), corrects: corrects));
        db.AuditLog.Add(AuditEntry.By(user, corrects is null ? "case.note-added" : "case.note-corrected", clock, found.Id));
        await db.SaveChangesAsync(ct);
        return new(true);
    }

    // Closed with an outcome from the profile the case was opened under; the steering group gets the outcome, the steps'
    // dates and the learning summary (CaseClosed), never identities.
    public static async Task<CaseWorkResult> CloseAsync(this CasesDbContext db, string reference, ClosureRequest request, ClaimsPrincipal user,
        Sealer sealer, Sealer mail, Sealer learning, TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return new(false);
        if (found.Status == CaseStatuses.Closed) return new(true, new("outcome", "The case is already closed."));
        var outcomes = (await db.ProfileOfAsync(found, ct)).Outcomes;
        if (!outcomes.Any(o => o.Id == request.Outcome))
            return new(true, new("outcome", $"Choose the outcome: {Terms.Listed(outcomes.Select(o => o.Name))}."));
        var summary = Blank(request.LearningSummary);
        if (Limits.IsOver(summary, LearningSummaryLimit))
            return new(true, new("learningSummary", $"Keep the learning summary under {LearningSummaryLimit:N0} characters."));

        await db.EnsureStepsAsync(found, ct);
        var sealedSummary = summary is null ? null : sealer.Seal(summary);
        if (found.Close(request.Outcome!, sealedSummary, clock) is { } changed) db.Outbox.Add(OutboxMessage.For(changed, clock));
        var steps = await db.Steps.AsNoTracking().Where(s => s.CaseId == found.Id).OrderBy(s => s.DueOn).ToListAsync(ct);
        db.Outbox.Add(OutboxMessage.For(new CaseClosed(Guid.CreateVersion7(), found.ReportId, found.Outcome!, found.Kind, found.Categories, found.Location,
            found.SubmittedAt, steps.Select(s => new StepMet(s.Step, s.DueOn, s.MetAt)).ToList(), summary is null ? null : learning.Seal(summary),
            found.ClosedAt!.Value, found.Tags), clock, secret: true));
        db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.Closed, AuditEntry.ActorOf(user), clock, subject: found.Outcome, sealedText: sealedSummary));
        await db.CancelComingMeetingsAsync(found, AuditEntry.ActorOf(user), sealer, mail, clock, ct);
        db.AuditLog.Add(AuditEntry.By(user, "case.closed", clock, found.Id, found.Outcome));
        await db.SaveChangesAsync(ct);
        return new(true);
    }

    public static async Task<CaseWorkResult> ReopenAsync(this CasesDbContext db, string reference, ReopeningRequest request, ClaimsPrincipal user,
        Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return new(false);
        if (found.Status != CaseStatuses.Closed) return new(true, new("reason", "The case is open."));
        if (TextProblem("reason", request.Reason, Limits.Message, "Say why the case is reopened.") is { } problem) return new(true, problem);
        if (found.Reopen(clock) is { } changed) db.Outbox.Add(OutboxMessage.For(changed, clock));
        db.Outbox.Add(OutboxMessage.For(new CaseReopened(found.ReportId, clock.GetUtcNow()), clock));
        db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.Reopened, AuditEntry.ActorOf(user), clock, sealedText: sealer.Seal(request.Reason!.Trim())));
        db.AuditLog.Add(AuditEntry.By(user, "case.reopened", clock, found.Id));
        await db.SaveChangesAsync(ct);
        return new(true);
    }

    // The playbook's suggested action is done, skipped with a reason, or becomes a task.
    public static async Task<CaseWorkResult> DecideAsync(this CasesDbContext db, string reference, string action, ChecklistDecision decision,
        ClaimsPrincipal user, Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return new(false);
        if (found.Status == CaseStatuses.Closed) return new(true, new("decision", "The case is closed: reopen it to work on it."));
        var text = CaseChecklistItems.For(found, await db.ProfileOfAsync(found, ct)).FirstOrDefault(a => a.Key == action)?.Text;
        if (text is null) return new(true, new("action", "The playbook has no such action for this case."));
        if (await db.Checklist.AnyAsync(i => i.CaseId == found.Id && i.Action == action, ct)) return new(true, new("decision", "That action is already decided."));
        var actor = AuditEntry.ActorOf(user);
        Guid? taskId = null;
        switch (decision.Decision)
        {
            case ChecklistDecisions.Done:
                db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.ActionDone, actor, clock, subject: action));
                break;
            case ChecklistDecisions.Skipped:
                if (TextProblem("reason", decision.Reason, Limits.Message, "Say why the action is skipped.") is { } missing) return new(true, missing);
                db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.ActionSkipped, actor, clock, subject: action, sealedText: sealer.Seal(decision.Reason!.Trim())));
                break;
            case ChecklistDecisions.Task:
                var title = text.Length <= Limits.ShortText ? text : text[..(Limits.ShortText - 1)] + "…";
                var (task, problem) = await db.NewTaskAsync(found, new TaskRequest(title, decision.DueOn, decision.OwnerId), actor, sealer, clock, ct);
                if (problem is not null) return new(true, problem);
                taskId = task!.Id;
                break;
            default:
                return new(true, new("decision", "Choose done, skipped or task."));
        }
        db.Checklist.Add(new ChecklistItem
        {
            CaseId = found.Id, Action = action, Decision = decision.Decision, By = actor, At = clock.GetUtcNow(), TaskId = taskId,
            SealedReason = decision.Decision == ChecklistDecisions.Skipped ? sealer.Seal(decision.Reason!.Trim()) : null,
        });
        db.AuditLog.Add(AuditEntry.By(user, "case.action-decided", clock, found.Id, $"{action}: {decision.Decision}"));
        await db.SaveChangesAsync(ct);
        return new(true);
    }

    public static async Task<CaseWorkResult> AddTaskAsync(this CasesDbContext db, string reference, TaskRequest request, ClaimsPrincipal user,
        Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return new(false);
        if (found.Status == CaseStatuses.Closed) return new(true, new("title", "The case is closed: reopen it to work on it."));
        var (_, problem) = await db.NewTaskAsync(found, request, AuditEntry.ActorOf(user), sealer, clock, ct);
        if (problem is not null) return new(true, problem);
        db.AuditLog.Add(AuditEntry.By(user, "case.task-added", clock, found.Id));
        await db.SaveChangesAsync(ct);
        return new(true);
    }

    public static async Task<CaseWorkResult> FinishTaskAsync(this CasesDbContext db, string reference, Guid taskId, ClaimsPrincipal user,
        TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return new(false);
        if (await db.Tasks.SingleOrDefaultAsync(t => t.Id == taskId && t.CaseId == found.Id, ct) is not { } task) return new(true, new("task", "There is no such task on this case."));
        var actor = AuditEntry.ActorOf(user);
        if (task.Finish(actor, clock))
        {
            db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.TaskDone, actor, clock, subject: task.Id.ToString()));
            db.AuditLog.Add(AuditEntry.By(user, "case.task-done", clock, found.Id));
            await db.SaveChangesAsync(ct);
        }
        return new(true);
    }

    public static async Task<CaseWorkResult> SetTagsAsync(this CasesDbContext db, string reference, TagsRequest request, ClaimsPrincipal user,
        Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return new(false);
        var tags = (request.Tags ?? []).OfType<string>().Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct().ToList();
        if (tags.Count > 20) return new(true, new("tags", "Give at most 20 tags."));
        if (tags.Any(t => t.Length > 40 || !t.All(c => char.IsLetterOrDigit(c) || c is ' ' or '-')))
            return new(true, new("tags", "Keep each tag to 40 letters, digits, spaces or hyphens."));
        if (tags.Order().SequenceEqual(found.Tags.Order())) return new(true);
        found.Tags = tags;
        db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.Tagged, AuditEntry.ActorOf(user), clock, sealedText: sealer.Seal(string.Join(", ", tags))));
        db.AuditLog.Add(AuditEntry.By(user, "case.tagged", clock, found.Id, $"{tags.Count} tags"));
        await db.SaveChangesAsync(ct);
        return new(true);
    }

    static async Task<(CaseTask? Task, FieldProblem? Problem)> NewTaskAsync(this CasesDbContext db, Case found, TaskRequest request, string actor,
        Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        if (TextProblem("title", request.Title, Limits.ShortText, "Say what is to be done.") is { } problem) return (null, problem);
        if (request.DueOn is not { } due || due < UkTime.Today(clock)) return (null, new("dueOn", "Give the date it is due by: today or later."));
        if (Blank(request.OwnerId) is not { } owner || !(await db.AssignableStaffAsync(found, ct)).Any(a => a.Id == owner && a.Sees(found)))
            return (null, new("ownerId", "Choose who will do it: a case manager who may work on this case."));
        return (db.AddTask(found, request.Title!.Trim(), due, owner, actor, sealer, clock), null);
    }

    // A task on the case (its title sealed: people write names into it) and its line on the timeline. The caller has checked
    // that the owner may work on the case.
    internal static CaseTask AddTask(this CasesDbContext db, Case found, string title, DateOnly dueOn, string ownerId, string actor, Sealer sealer,
        TimeProvider clock)
    {
        var task = new CaseTask
        {
            Id = Guid.CreateVersion7(), CaseId = found.Id, SealedTitle = sealer.Seal(title), DueOn = dueOn, OwnerId = ownerId, CreatedBy = actor,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Tasks.Add(task);
        db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.TaskAdded, actor, clock, subject: task.Id.ToString()));
        return task;
    }

    public const int LearningSummaryLimit = 4_000;

    // Two people at the same moment: a change to a case someone else changed meanwhile is refused (the case's row
    // version), and a decision someone else already recorded (a checklist action, a step's clock) stands as it is. A page
    // that shows the case again passes its db: what the refused change left tracked is forgotten, not saved by the next read.
    public static async Task<CaseWorkResult> AtOnceAsync(this Task<CaseWorkResult> work, DbContext? db = null)
    {
        try
        {
            return await work;
        }
        catch (DbUpdateConcurrencyException)
        {
            db?.ChangeTracker.Clear();
            return new(true, new("case", "Someone else changed this case at the same moment. Look at it again, then try again if it still needs doing."));
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            db?.ChangeTracker.Clear();
            return new(true);
        }
    }

    // A status change: for the reporter's page (CaseStatusChanged) and the timeline, with its sealed reason if one was given.
    internal static void StatusChanged(this CasesDbContext db, Case found, string status, string? sealedReason, ClaimsPrincipal user, TimeProvider clock)
    {
        if (found.ChangeStatus(status, clock) is not { } changed) return;
        db.Outbox.Add(OutboxMessage.For(changed, clock));
        db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.Status, AuditEntry.ActorOf(user), clock, subject: status, sealedText: sealedReason));
    }

    // Meets a step's clock if it is still running; a step the case does not have (or one already met) is left alone.
    internal static async Task MeetStepAsync(this CasesDbContext db, Case found, string step, string? how, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        await db.EnsureStepsAsync(found, ct);
        var clockStep = db.Steps.Local.FirstOrDefault(s => s.CaseId == found.Id && s.Step == step)
            ?? await db.Steps.SingleOrDefaultAsync(s => s.CaseId == found.Id && s.Step == step, ct);
        var actor = AuditEntry.ActorOf(user);
        if (clockStep?.Meet(actor, how, clock) != true) return;
        db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.StepMet, actor, clock, subject: step));
        await db.TrackStepsAsync(found, ct);
    }

    internal static FieldProblem? TextProblem(string field, string? text, int limit, string missing) =>
        string.IsNullOrWhiteSpace(text) ? new(field, missing)
        : Limits.IsOver(text.Trim(), limit) ? new(field, $"Keep it under {limit:N0} characters.")
        : Limits.HasHiddenCharacters(text) ? new(field, "The text holds characters that cannot be kept (control characters or direction overrides).")
        : null;

    static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    // A conflict of interest: the person (themselves, or anyone when an admin records it) never sees the case again.
    public static async Task<CaseWorkResult> RecordInvolvementAsync(this CasesDbContext db, string reference, string? userId, ClaimsPrincipal user,
        TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return new(false);
        var self = user.FindFirstValue("sub")!;
        var involved = string.IsNullOrWhiteSpace(userId) ? self : userId.Trim();
        if (involved != self && !user.IsInRole(StaffRoles.Admin)) return new(true, new("userId", "Only an admin can record that someone else is involved."));
        if (await db.Users.FindAsync([involved], ct) is not { } person) return new(true, new("userId", "There is no such staff account."));
        // Recorded already (the same form sent twice): nothing more to do.
        if (await db.Involvements.AnyAsync(i => i.CaseId == found.Id && i.UserId == involved, ct)) return new(true);
        db.Involvements.Add(new CaseInvolvement { CaseId = found.Id, UserId = involved, RecordedBy = AuditEntry.ActorOf(user), RecordedAt = clock.GetUtcNow() });
        // Someone involved cannot keep the case: it goes back to its teams' queue, awaiting assignment.
        if (found.AssigneeId == involved)
        {
            found.Assign(null, null);
            db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.Unassigned, AuditEntry.ActorOf(user), clock));
        }
        db.AuditLog.Add(AuditEntry.By(user, "case.involvement-recorded", clock, found.Id, AuditEntry.ActorOf(person)));
        await db.SaveChangesAsync(ct);
        return new(true);
    }

    // An involvement recorded by mistake: an Admin removes it, saying why (kept sealed on the timeline, which does not name the
    // person; the audit entry does), and the person sees the case again as far as their roles and teams allow. Admins only, and
    // only on a case they may see (anyone else: as for no such case). Removing a record already removed, by the same form sent
    // twice or by two admins at once, does nothing more.
    public static async Task<CaseWorkResult> RemoveInvolvementAsync(this CasesDbContext db, string reference, string? userId, InvolvementRemoval removal,
        ClaimsPrincipal user, Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        if (!user.IsInRole(StaffRoles.Admin) || await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found)
            return new(false);
        var id = userId?.Trim();
        if (await db.Involvements.SingleOrDefaultAsync(i => i.CaseId == found.Id && i.UserId == id, ct) is not { } involvement) return new(true);
        if (TextProblem("reason", removal.Reason, Limits.Message, "Say why the record was a mistake.") is { } problem) return new(true, problem);
        var person = await db.Users.FindAsync([involvement.UserId], ct);
        db.Involvements.Remove(involvement);
        db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.InvolvementRemoved, AuditEntry.ActorOf(user), clock, sealedText: sealer.Seal(removal.Reason!.Trim())));
        db.AuditLog.Add(AuditEntry.By(user, "case.involvement-removed", clock, found.Id, person is null ? involvement.UserId : AuditEntry.ActorOf(person)));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another admin removed it a moment before: theirs is the entry on the timeline and in the audit log.
            db.ChangeTracker.Clear();
        }
        return new(true);
    }

    // Who is recorded as involved in a case, by display name, for the Admins who may remove a record made by mistake.
    public static Task<List<InvolvementView>> InvolvementsAsync(this CasesDbContext db, Guid caseId, CancellationToken ct) =>
        (from i in db.Involvements
         join u in db.Users on i.UserId equals u.Id
         where i.CaseId == caseId
         orderby i.RecordedAt
         select new InvolvementView(i.UserId, u.DisplayName, i.RecordedBy, i.RecordedAt)).ToListAsync(ct);
}

/// <summary>Why a record that a staff member is involved in a case is removed (<c>POST
/// /api/cases/{reference}/involvements/{userId}/removal</c>, Admins only).</summary>
/// <param name="Reason">Why the record was a mistake: 1 to 5,000 characters, kept sealed on the case's timeline.</param>
public sealed record InvolvementRemoval(string? Reason);

/// <summary>A staff member recorded as involved in a case.</summary>
/// <param name="UserId">Their staff account's id.</param>
/// <param name="Name">Their display name.</param>
/// <param name="RecordedBy">Who recorded it, as the audit log names people: display name and staff id.</param>
/// <param name="RecordedAt">When (UTC; shown as the UK date).</param>
public sealed record InvolvementView(string UserId, string Name, string RecordedBy, DateTimeOffset RecordedAt);
