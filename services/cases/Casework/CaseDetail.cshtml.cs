using System.Security.Claims;
using Harbour.Cases.Legal;
using Harbour.Cases.Meetings;
using Harbour.Cases.Profile;
using Harbour.Cases.Retention;
using Harbour.Cases.Staff;
using Harbour.Cases.Support;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Casework;

// /cases/{reference}: the case, and everything a case manager does on it. A mistake comes back beside its field with
// what was typed kept.
[Authorize(Policy = StaffPolicies.CaseWork)]
public sealed class CaseDetailModel(CasesDbContext db, Sealer sealer, [FromKeyedServices(Sealer.Mail)] Sealer mail,
    [FromKeyedServices(Sealer.Learning)] Sealer learning, TimeProvider clock) : PageModel
{
    public CaseView? View { get; private set; }
    public FieldProblem? Problem { get; private set; }
    // What was typed into the form that came back with a problem, by field name.
    public Dictionary<string, string?> Typed { get; private set; } = [];
    public List<StaffChoice> Staff { get; private set; } = [];
    // Who may own a task on the case: those who can see it.
    public List<StaffChoice> Owners { get; private set; } = [];
    public List<string> Teams { get; private set; } = [];
    public IReadOnlyList<Contracts.Outcome> Outcomes { get; private set; } = [];
    // The support directory: the services that fit the case first, then the rest.
    public IReadOnlyList<Contracts.SupportService> Suggested { get; private set; } = [];
    public IReadOnlyList<Contracts.SupportService> OtherSupport { get; private set; } = [];
    // Whether the reader is responsible for the case: may open its legal compartment and redact it (NeedToKnow).
    public bool Responsible { get; private set; }
    // Who is recorded as involved in the case: read for Admins only, who may remove a record made by mistake.
    public List<InvolvementView> Involved { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string reference, CancellationToken ct)
    {
        View = await db.ViewCaseAsync(reference, sealer, User, clock, ct);
        if (View is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        var found = db.Cases.Local.First(c => c.Reference == reference);
        (Staff, Teams, Outcomes) = (await db.AssignableStaffAsync(found, ct), await db.TeamsAsync(ct), (await db.ProfileOfAsync(found, ct)).Outcomes);
        Owners = Staff.Where(person => person.Sees(found)).ToList();
        Responsible = await db.IsResponsibleForAsync(User, found, ct);
        var directory = (await db.CurrentProfileAsync(ct))?.Profile ?? Harbour.Profile.DefaultProfile.Value;
        Suggested = directory.SupportFor(found);
        Hold = (found.LegalHoldSince, found.LegalHoldBy);
        Retention = (Harbour.Cases.Retention.RetentionSchedule.DueOn(found, directory.Retention),
            Harbour.Cases.Retention.RetentionSchedule.RuleFor(directory.Retention, found) is { } rule
                ? Harbour.Cases.Retention.RetentionSchedule.Describe(rule) : null);
        OtherSupport = directory.Support.Except(Suggested).OrderBy(s => s.Name).ToList();
        if (User.IsInRole(StaffRoles.Admin)) Involved = await db.InvolvementsAsync(found.Id, ct);
        return Page();
    }

    public string? Value(string field) => Typed.GetValueOrDefault(field);

    public async Task<IActionResult> OnPostReplyAsync(string reference, string? body, CancellationToken ct) =>
        await AnswerAsync(reference, db.ReplyAsync(reference, body, User, sealer, mail, clock, ct), "conversation", ct, ("body", body));

    public async Task<IActionResult> OnPostInvolvedAsync(string reference, CancellationToken ct)
    {
        var result = await db.RecordInvolvementAsync(reference, null, User, clock, ct);
        if (!result.Found) return NotFound();
        TempData["notice"] = "Recorded: you are involved in that case, so you will not see it again. Another case manager will take it.";
        return Redirect("/cases");
    }

    // An Admin records that a colleague is involved, or removes such a record made by mistake (anyone else: as for no such case).
    public async Task<IActionResult> OnPostColleagueInvolvedAsync(string reference, string? involvedUserId, CancellationToken ct)
    {
        if (!User.IsInRole(StaffRoles.Admin)) return NotFound();
        // Themselves: as "I am involved in this case".
        if (involvedUserId == User.FindFirstValue("sub")) return await OnPostInvolvedAsync(reference, ct);
        var work = string.IsNullOrWhiteSpace(involvedUserId)
            ? Task.FromResult(new CaseWorkResult(true, new("userId", "Choose who is involved.")))
            : db.RecordInvolvementAsync(reference, involvedUserId, User, clock, ct);
        return await AnswerAsync(reference, work, "conflict", ct, ("involvedUserId", involvedUserId));
    }

    public async Task<IActionResult> OnPostRemoveInvolvementAsync(string reference, string? involvedUserId, string? reason, CancellationToken ct) =>
        await AnswerAsync(reference, db.RemoveInvolvementAsync(reference, involvedUserId, new InvolvementRemoval(reason), User, sealer, clock, ct), "conflict", ct,
            ($"removalReason-{involvedUserId}", reason));

    public async Task<IActionResult> OnPostStatusAsync(string reference, string? status, string? reason, CancellationToken ct) =>
        await AnswerAsync(reference, db.ChangeStatusAsync(reference, new CaseStatusChange(status, reason), User, sealer, clock, ct), "status", ct,
            ("status", status), ("reason", reason));

    public async Task<IActionResult> OnPostAssignAsync(string reference, string? assigneeId, string? team, string? note, CancellationToken ct) =>
        await AnswerAsync(reference, db.AssignAsync(reference, new AssignmentRequest(assigneeId, team, note), User, sealer, clock, ct), "work", ct,
            ("assigneeId", assigneeId), ("team", team), ("note", note));

    public async Task<IActionResult> OnPostStepAsync(string reference, string step, string? how, CancellationToken ct) =>
        await AnswerAsync(reference, db.RecordStepAsync(reference, step, new StepMetRequest(how), User, clock, ct), "clocks", ct, ("how", how));

    public async Task<IActionResult> OnPostNoteAsync(string reference, string? text, Guid? corrects, CancellationToken ct) =>
        await AnswerAsync(reference, db.AddNoteAsync(reference, new NoteRequest(text), corrects, User, sealer, clock, ct), "timeline", ct,
            (corrects is null ? "text" : $"correction-{corrects}", text));

    public async Task<IActionResult> OnPostDecideAsync(string reference, string action, string? decision, string? reason, DateOnly? dueOn, string? ownerId,
        CancellationToken ct) =>
        await AnswerAsync(reference, db.DecideAsync(reference, action, new ChecklistDecision(decision, reason, dueOn, ownerId), User, sealer, clock, ct),
            "checklist", ct, ($"action-{action}", action), ("reason", reason), ("dueOn", dueOn?.ToString("yyyy-MM-dd")), ("ownerId", ownerId));

    public async Task<IActionResult> OnPostTaskAsync(string reference, string? title, DateOnly? dueOn, string? ownerId, CancellationToken ct) =>
        await AnswerAsync(reference, db.AddTaskAsync(reference, new TaskRequest(title, dueOn, ownerId), User, sealer, clock, ct), "tasks", ct,
            ("title", title), ("taskDueOn", dueOn?.ToString("yyyy-MM-dd")), ("taskOwnerId", ownerId));

    public async Task<IActionResult> OnPostTaskDoneAsync(string reference, Guid id, CancellationToken ct) =>
        await AnswerAsync(reference, db.FinishTaskAsync(reference, id, User, clock, ct), "tasks", ct);

    public async Task<IActionResult> OnPostTagsAsync(string reference, string? tags, CancellationToken ct) =>
        await AnswerAsync(reference, db.SetTagsAsync(reference, new TagsRequest((tags ?? "").Split(',').ToList()), User, sealer, clock, ct), "tags", ct,
            ("tags", tags));

    public async Task<IActionResult> OnPostReferralAsync(string reference, Guid? referralId, string? serviceId, string? how, DateOnly? madeOn,
        DateOnly? checkInOn, CancellationToken ct) =>
        await AnswerAsync(reference, db.RecordReferralAsync(reference, new ReferralRequest(referralId, serviceId, how, madeOn, checkInOn), User, sealer, clock, ct),
            "support", ct, ("serviceId", serviceId), ("referralHow", how), ("madeOn", madeOn?.ToString("yyyy-MM-dd")), ("checkInOn", checkInOn?.ToString("yyyy-MM-dd")));

    public async Task<IActionResult> OnPostUptakeAsync(string reference, Guid id, string? uptake, string? helped, string? note, CancellationToken ct) =>
        await AnswerAsync(reference, db.RecordUptakeAsync(reference, id, new UptakeRequest(uptake, helped, note), User, sealer, clock, ct), "support", ct,
            ($"uptake-{id}", uptake), ($"helped-{id}", helped), ($"note-{id}", note));

    public async Task<IActionResult> OnPostMeetingAsync(string reference, Guid? meetingId, DateOnly? date, string? time, int? minutes, string? format,
        string? where, string? withId, int? sequence, bool? emailReporter, CancellationToken ct)
    {
        var prefix = sequence is not null && meetingId is { } id ? $"meeting-{id}-" : "meeting-";
        return await AnswerAsync(reference, db.ArrangeMeetingAsync(reference, new MeetingRequest(meetingId, date, time, minutes, format, where, withId, sequence, emailReporter), User,
            sealer, mail, clock, ct), "meetings", ct, ($"{prefix}date", date?.ToString("yyyy-MM-dd")), ($"{prefix}time", time), ($"{prefix}minutes", minutes?.ToString()),
            ($"{prefix}format", format), ($"{prefix}where", where), ($"{prefix}withId", withId));
    }

    public async Task<IActionResult> OnPostCancelMeetingAsync(string reference, Guid id, CancellationToken ct) =>
        await AnswerAsync(reference, db.CancelMeetingAsync(reference, id, User, sealer, mail, clock, ct), "meetings", ct);

    public async Task<IActionResult> OnPostRecordMeetingAsync(string reference, Guid id, bool? attended, string? note, string? agreed, CancellationToken ct) =>
        await AnswerAsync(reference, db.RecordMeetingAsync(reference, id, new MeetingRecord(attended, note, agreed), User, sealer, clock, ct), "meetings", ct,
            ($"note-{id}", note), ($"agreed-{id}", agreed), ($"attended-{id}", attended?.ToString().ToLowerInvariant()));

    // Now, by the service's clock: which meetings are still to come.
    public DateTimeOffset Now => clock.GetUtcNow();

    public async Task<IActionResult> OnPostCloseAsync(string reference, string? outcome, string? learningSummary, CancellationToken ct) =>
        await AnswerAsync(reference, db.CloseAsync(reference, new ClosureRequest(outcome, learningSummary), User, sealer, mail, learning, clock, ct), "closure", ct,
            ("outcome", outcome), ("learningSummary", learningSummary));

    public async Task<IActionResult> OnPostLegalHoldAsync(string reference, string? holdReason, CancellationToken ct) =>
        await AnswerAsync(reference, db.PlaceLegalHoldAsync(reference, new Retention.LegalHoldRequest(holdReason), User, sealer, clock, ct), "legal-hold", ct,
            ("holdReason", holdReason));

    public async Task<IActionResult> OnPostLiftLegalHoldAsync(string reference, CancellationToken ct) =>
        await AnswerAsync(reference, db.LiftLegalHoldAsync(reference, User, clock, ct), "legal-hold", ct);

    // An erased case is gone: the answer is the retention page, whose deletion log now names it.
    // Erasing asks for a recent second factor (StepUp); recording a refusal does not.
    public async Task<IActionResult> OnPostErasureAsync(string reference, string? decision, string? confirm, string? ground,
        [FromServices] IAuthorizationService authorization, CancellationToken ct)
    {
        if (decision == "erase")
        {
            if (!(await authorization.AuthorizeAsync(User, StepUp.Policy)).Succeeded) return Redirect(StepUp.ConfirmUrl($"/cases/{reference}#legal-hold"));
            var result = await db.DecideErasureAsync(reference, new ErasureRequest(decision, confirm, ground), User, clock, ct);
            if (result is { Found: true, Problem: null }) return Redirect("/cases/retention#deleted");
            if (!result.Found) return NotFound();
            (Problem, Typed) = (result.Problem, new() { ["decision"] = decision, ["confirm"] = confirm });
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await OnGetAsync(reference, ct);
        }
        return await AnswerAsync(reference, db.DecideErasureAsync(reference, new ErasureRequest(decision, confirm, ground), User, clock, ct), "legal-hold", ct,
            ("decision", decision), ("ground", ground));
    }

    // The case as it stands for retention: the UK date it is due to go (null: kept until closed, or no rule), and the rule.
    public (DateOnly? DueOn, string? Rule) Retention { get; private set; }
    // The legal hold on the case, if any: since when (UTC) and who placed it.
    public (DateTimeOffset? Since, string? By) Hold { get; private set; }

    public async Task<IActionResult> OnPostReopenAsync(string reference, string? reason, CancellationToken ct) =>
        await AnswerAsync(reference, db.ReopenAsync(reference, new ReopeningRequest(reason), User, sealer, clock, ct), "closure", ct,
            ("reopenReason", reason));

    async Task<IActionResult> AnswerAsync(string reference, Task<CaseWorkResult> work, string section, CancellationToken ct, params (string Field, string? Value)[] typed)
    {
        var result = await work.AtOnceAsync(db);
        if (!result.Found) return NotFound();
        if (result.Problem is null) return Redirect($"/cases/{reference}#{section}");
        (Problem, Typed) = (result.Problem, typed.ToDictionary(t => t.Field, t => t.Value));
        // The reason for removing an involvement sits beside that person's record.
        if (typed.FirstOrDefault().Field?.StartsWith("removalReason-") == true && Problem.Field == "reason") Problem = Problem with { Field = typed[0].Field };
        // The colleague chosen as involved is its own field on the page.
        if (Typed.ContainsKey("involvedUserId") && Problem.Field == "userId") Problem = Problem with { Field = "involvedUserId" };
        // The reopen form's reason is its own field on the page.
        if (Typed.ContainsKey("reopenReason") && Problem.Field == "reason") Problem = Problem with { Field = "reopenReason" };
        // The task form's fields have their own names on the page.
        if (Typed.ContainsKey("taskOwnerId") && Problem.Field is "dueOn" or "ownerId") Problem = Problem with { Field = Problem.Field == "dueOn" ? "taskDueOn" : "taskOwnerId" };
        // The referral form's "how" is its own field on the page (first contact has one too).
        if (Typed.ContainsKey("referralHow") && Problem.Field == "how") Problem = Problem with { Field = "referralHow" };
        // A meeting form's fields carry the form's prefix (the new meeting's, or a meeting being moved).
        if (typed.FirstOrDefault().Field?.StartsWith("meeting-") == true && !Problem.Field.StartsWith("meeting"))
            Problem = Problem with { Field = typed[0].Field[..(typed[0].Field.LastIndexOf('-') + 1)] + Problem.Field };
        // A playbook action's fields sit beside it.
        if (typed.FirstOrDefault().Field?.StartsWith("action-") == true) Problem = Problem with { Field = $"{typed[0].Field}-{Problem.Field}" };
        // A note's correction is its own field, beside its note.
        if (typed.FirstOrDefault().Field?.StartsWith("correction-") == true && Problem.Field == "text") Problem = Problem with { Field = typed[0].Field };
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return await OnGetAsync(reference, ct);
    }
}
