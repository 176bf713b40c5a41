using System.Security.Claims;
using Harbour.Cases.Audit;
using Harbour.Cases.Departments;
using Harbour.Cases.Disclosures;
using Harbour.Cases.Legal;
using Harbour.Cases.Meetings;
using Harbour.Cases.Profile;
using Harbour.Cases.Redaction;
using Harbour.Cases.Staff;
using Harbour.Cases.Support;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Casework;

// The case managers' JSON API (Admin and CaseManager roles). A case is named by its reference, HR-yyyy-nnnnnn; an
// unknown one is 404. Every read and change is audited.
internal static class CasesApi
{
    public static RouteGroupBuilder MapCasesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cases").RequireAuthorization(StaffPolicies.CaseWork);
        api.MapGet("/", async ([AsParameters] QueueFilter filter, CasesDbContext db, ClaimsPrincipal user, TimeProvider clock, HttpResponse response,
                CancellationToken ct) =>
            {
                var (rows, total) = await db.QueueAsync(user, filter, clock, ct);
                response.Headers["X-Total-Count"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return TypedResults.Ok(rows);
            })
            .WithSummary("The queue: the cases the caller may see, those awaiting assignment first, then by the soonest due step; 50 a page. "
                + "Filters: status (a code, open or all), category, kind, place, team, assignee (me, none or an id), overdue, dueToday, unread, search "
                + "(part of a reference, or a whole tag), page. The X-Total-Count header holds how many cases match");
        api.MapPost("/disclosures", async (DisclosureRequest disclosure, CasesDbContext db, ClaimsPrincipal user, Sealer sealer, TimeProvider clock,
                CancellationToken ct) => await db.RecordDisclosureAsync(disclosure, user, sealer, clock, ct) switch
                {
                    ({ } id, _) => Results.Accepted($"/api/cases/disclosures/{id}", new { id }),
                    (_, var problem) => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [problem!.Field] = [problem.Message] }),
                })
            .WithSummary("Record a report someone made by phone, by email or in person: it goes to intake, which checks it as it checks every "
                + "report and keeps it (a reference, a receipt, a case like any other, counted with its channel). 202 with where to follow it; "
                + "400 for an unknown channel or no report. The same disclosureId sent twice is kept once");
        api.MapGet("/disclosures/{id:guid}", async (Guid id, CasesDbContext db, ClaimsPrincipal user, Sealer sealer, TimeProvider clock, CancellationToken ct) =>
                await db.ViewDisclosureAsync(id, user, sealer, clock, ct) is { } view ? Results.Ok(view) : Results.NotFound())
            .WithSummary("Where a disclosure stands, for the case manager who recorded it (and admins): pending, accepted (the reference, and the "
                + "receipt once, to pass on to the reporter) or refused (each problem by the report API's field name). 404 for anyone else");
        api.MapGet("/my-work", async (CasesDbContext db, ClaimsPrincipal user, Sealer sealer, TimeProvider clock, CancellationToken ct) =>
                TypedResults.Ok(await db.MyWorkAsync(user, sealer, clock, ct)))
            .WithSummary("The caller's own work: their open cases, how many are due today, overdue, or hold unread messages, and their tasks not done yet");
        api.MapGet("/{reference}", GetAsync)
            .WithSummary("A case: the report opened, its plan under the profile version it was made under, conversation and files");
        api.MapPost("/{reference}/messages", ReplyAsync)
            .WithSummary("Write to the reporter (1 to 5,000 characters; 400 otherwise); a first reply moves a received case to with-case-manager");
        api.MapGet("/{reference}/evidence/{id:guid}", GetEvidenceAsync)
            .WithSecurityHeadersPolicy(HeaderPolicy.Download)
            .WithSummary("Download a file the reporter sent; every download is audited");
        api.MapPost("/{reference}/involvements", RecordInvolvementAsync)
            .WithSummary("Record that a staff member is involved in the case (a conflict of interest): from then on they never see it. "
                + "Without userId, the caller; an admin may name anyone.");
        api.MapPost("/{reference}/involvements/{userId}/removal", async ([AsParameters] CaseRequest request, string userId, InvolvementRemoval removal,
                CancellationToken ct) =>
                Answer(await request.Db.RemoveInvolvementAsync(request.Reference, userId, removal, request.User, request.Sealer, request.Clock, ct).AtOnceAsync()))
            .WithSummary("Remove a record, made by mistake, that a staff member is involved in the case (Admins only; a case manager gets 404, as for "
                + "no such case): they see the case again as far as their roles and teams allow. Body: reason (1 to 5,000 characters, kept sealed on "
                + "the timeline). 204, also when there is no such record (removed already); 400 for a missing or too long reason. Audited.");
        api.MapPost("/{reference}/status", ChangeStatusAsync)
            .WithSummary("Change the status the reporter sees, with a reason (kept sealed on the timeline): received, triaged, with-case-manager, "
                + "awaiting-reporter or action-taken; 400 for anything else, a missing reason, or a closed case (close and reopen have their own endpoints)");
        api.MapPost("/{reference}/assignment", ([AsParameters] CaseRequest request, AssignmentRequest assignment, CancellationToken ct) =>
                Answer(request.Db.AssignAsync(request.Reference, assignment, request.User, request.Sealer, request.Clock, ct)))
            .WithSummary("Give the case to a case manager (assigneeId, a staff account id) and/or a team; the assignee is emailed the reference "
                + "and a link. Meets triage. 400 with the field named for someone who may not take it, an unknown team or a closed case");
        api.MapPost("/{reference}/steps/{step}", ([AsParameters] CaseRequest request, string step, StepMetRequest met, CancellationToken ct) =>
                Answer(request.Db.RecordStepAsync(request.Reference, step, met, request.User, request.Clock, ct)))
            .WithSummary("Record a response step as done (first-contact needs how: phone, email, meeting or message); a step already done stays as it was");
        api.MapPost("/{reference}/notes", ([AsParameters] CaseRequest request, NoteRequest note, CancellationToken ct) =>
                Answer(request.Db.AddNoteAsync(request.Reference, note, null, request.User, request.Sealer, request.Clock, ct)))
            .WithSummary("Add an internal note (1 to 5,000 characters, sealed, never shown to the reporter)");
        api.MapPost("/{reference}/notes/{id:guid}/corrections", ([AsParameters] CaseRequest request, Guid id, NoteRequest note, CancellationToken ct) =>
                Answer(request.Db.AddNoteAsync(request.Reference, note, id, request.User, request.Sealer, request.Clock, ct)))
            .WithSummary("Correct a note by adding a correction beside it (notes are never edited); 400 for a note not on this case");
        api.MapPost("/{reference}/closure", ([AsParameters] CaseRequest request, ClosureRequest closure,
                [FromKeyedServices(Sealer.Learning)] Sealer learning, CancellationToken ct) =>
                Answer(request.Db.CloseAsync(request.Reference, closure, request.User, request.Sealer, request.Mail, learning, request.Clock, ct)))
            .WithSummary("Close the case with an outcome of the profile it was opened under and an optional learning summary (at most 4,000 "
                + "characters, general words) for the steering group; publishes CaseClosed. 400 for an unknown outcome or a closed case");
        api.MapPost("/{reference}/reopening", ([AsParameters] CaseRequest request, ReopeningRequest reopening, CancellationToken ct) =>
                Answer(request.Db.ReopenAsync(request.Reference, reopening, request.User, request.Sealer, request.Clock, ct)))
            .WithSummary("Reopen a closed case, with a reason (sealed on the timeline); 400 for an open case or no reason");
        api.MapPost("/{reference}/checklist/{action}", ([AsParameters] CaseRequest request, string action, ChecklistDecision decision, CancellationToken ct) =>
                Answer(request.Db.DecideAsync(request.Reference, action, decision, request.User, request.Sealer, request.Clock, ct)))
            .WithSummary("Decide one of the playbook's suggested actions (named as in the case's checklist, e.g. sexual-harassment:0): done; skipped with "
                + "a reason; or task with dueOn (yyyy-MM-dd, today or later) and ownerId. 400 for an unknown action, one already decided, or a closed case");
        api.MapPost("/{reference}/tasks", ([AsParameters] CaseRequest request, TaskRequest task, CancellationToken ct) =>
                Answer(request.Db.AddTaskAsync(request.Reference, task, request.User, request.Sealer, request.Clock, ct)))
            .WithSummary("Add a task: title (1 to 200 characters, sealed), dueOn (yyyy-MM-dd, today or later), ownerId; 400 with the field named otherwise");
        api.MapPost("/{reference}/tasks/{id:guid}/done", ([AsParameters] CaseRequest request, Guid id, CancellationToken ct) =>
                Answer(request.Db.FinishTaskAsync(request.Reference, id, request.User, request.Clock, ct)))
            .WithSummary("Mark a task done (a task already done stays as it was); 400 for a task not on this case");
        api.MapPut("/{reference}/tags", ([AsParameters] CaseRequest request, TagsRequest tags, CancellationToken ct) =>
                Answer(request.Db.SetTagsAsync(request.Reference, tags, request.User, request.Sealer, request.Clock, ct)))
            .WithSummary("Replace the case's tags: at most 20, each 1 to 40 letters, digits, spaces or hyphens, kept in lower case; search finds a case by a whole tag");
        api.MapGet("/{reference}/alerts/draft", async ([AsParameters] CaseRequest request, string? department, string? purpose, CancellationToken ct) =>
                await request.Db.DraftAsync(request.Reference, department, purpose, request.User, request.Sealer, request.Clock, ct) switch
                {
                    { Found: false } => Results.NotFound(),
                    { Text: null } => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["department"] = ["Choose a department of the institution profile."] }),
                    { Text: { } text } => TypedResults.Ok(new AlertDraftText(text)),
                })
            .WithSummary("Where an alert to a department starts: its template from the institution profile (or, with purpose=legal-advice, a "
                + "request for advice) with the case's reference, place, time window and categories filled in (never the reporter's account). "
                + "400 for a department the profile does not have");
        api.MapPost("/{reference}/alerts/preview", async ([AsParameters] CaseRequest request, InformRequest inform, CancellationToken ct) =>
                await request.Db.PreviewAlertAsync(request.Reference, inform, request.User, request.Sealer, request.Clock, ct) switch
                {
                    ({ Found: false }, _) => Results.NotFound(),
                    ({ Problem: { } problem }, _) => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [problem.Field] = [problem.Message] }),
                    (_, var preview) => TypedResults.Ok(preview),
                })
            .WithSummary("The email exactly as the department will get it (address, subject, plain-text body with {acknowledge-link} where their "
                + "personal link goes), without sending it; 400 with the field named, as for sending");
        api.MapPost("/{reference}/alerts", ([AsParameters] CaseRequest request, InformRequest inform, [FromKeyedServices(Sealer.Mail)] Sealer mail,
                CancellationToken ct) => Answer(request.Db.InformAsync(request.Reference, inform, request.User, request.Sealer, mail, request.Clock, ct)))
            .WithSummary("Inform a department: notifications emails it once per alertId, with a personal acknowledge link; the case's timeline "
                + "then shows sent, delivered and acknowledged, or that the department was NOT told. The reporter's identity goes only with "
                + "identityShared (their consent, recorded on the case). 400 with the field named for an unknown department, no text or text over "
                + "5,000 characters, identity asked for a report with none, or a closed case");
        api.MapGet("/{reference}/support", async ([AsParameters] CaseRequest request, CancellationToken ct) =>
                await request.Db.VisibleCases(request.User).AsNoTracking().SingleOrDefaultAsync(c => c.Reference == request.Reference, ct) is { } found
                    ? Results.Ok(((await request.Db.CurrentProfileAsync(ct))?.Profile ?? Harbour.Profile.DefaultProfile.Value).SupportFor(found))
                    : Results.NotFound())
            .WithSummary("The support directory as it fits the case: services for its categories (or for every category) that serve the "
                + "reporter's role, urgent first (each with its id, name, what it helps with, how to reach it and when)");
        api.MapPost("/{reference}/referrals", ([AsParameters] CaseRequest request, ReferralRequest referral, CancellationToken ct) =>
                Answer(request.Db.RecordReferralAsync(request.Reference, referral, request.User, request.Sealer, request.Clock, ct)))
            .WithSummary("Record a referral or signpost to a service of the support directory (serviceId; how: signpost or warm-referral; madeOn, "
                + "yyyy-MM-dd, today or earlier; checkInOn, today or later, 5 working days on if left out): the reporter sees the service on their "
                + "follow-up page, and whoever has the case gets a task to check in. Kept once per referralId. 400 with the field named otherwise");
        api.MapPost("/{reference}/referrals/{id:guid}/uptake", ([AsParameters] CaseRequest request, Guid id, UptakeRequest uptake, CancellationToken ct) =>
                Answer(request.Db.RecordUptakeAsync(request.Reference, id, uptake, request.User, request.Sealer, request.Clock, ct)))
            .WithSummary("Record what became of a referral: uptake (not-known, taken-up, not-taken-up), helped (yes, partly, no; optional), a "
                + "note (at most 5,000 characters, sealed). 400 for a referral not on this case or an unknown code");
        api.MapPost("/{reference}/meetings", ([AsParameters] CaseRequest request, MeetingRequest meeting, CancellationToken ct) =>
                Answer(request.Db.ArrangeMeetingAsync(request.Reference, meeting, request.User, request.Sealer, request.Mail, request.Clock, ct)))
            .WithSummary("Arrange a meeting with the reporter, or move one (the same meetingId): date (yyyy-MM-dd) and time (HH:mm), UK time, "
                + "to come; minutes 15 to 240; format in-person (where: the place), online (where: an https link) or phone; withId, who they "
                + "meet. The person met, and the reporter if they chose email and said it is safe, get an iCalendar invitation; the reporter "
                + "sees it on their follow-up page. 400 with the field named otherwise");
        api.MapPost("/{reference}/meetings/{id:guid}/cancellation", ([AsParameters] CaseRequest request, Guid id, CancellationToken ct) =>
                Answer(request.Db.CancelMeetingAsync(request.Reference, id, request.User, request.Sealer, request.Mail, request.Clock, ct)))
            .WithSummary("Cancel a meeting: everyone invited gets the cancellation (iCalendar METHOD:CANCEL); 400 for a meeting that has taken place");
        api.MapPost("/{reference}/meetings/{id:guid}/record", ([AsParameters] CaseRequest request, Guid id, MeetingRecord record, CancellationToken ct) =>
                Answer(request.Db.RecordMeetingAsync(request.Reference, id, record, request.User, request.Sealer, request.Clock, ct)))
            .WithSummary("Record what happened at a meeting once it has started: attended or not, a note (sealed), and what was agreed, one action "
                + "a line, each a task; a meeting attended is first contact. 400 for a meeting cancelled or still to come");
        api.MapGet("/{reference}/legal-advice", async ([AsParameters] CaseRequest request, CancellationToken ct) =>
                await request.Db.ReadLegalAdviceAsync(request.Reference, request.User, request.Sealer, request.Clock, ct) is { } view
                    ? Results.Ok(view) : Results.NotFound())
            .RequireAuthorization(StepUp.Policy)
            .WithSummary("The case's legal compartment: the requests for advice sent and the advice recorded. Only whoever has the case, the "
                + "leads of its teams and admins; 404 for anyone else, as for a case they cannot see. Every look is audited. 403 (a problem "
                + "naming /cases/confirm) when the session's second factor is older than Staff:StepUpWindow (15 minutes): OWASP ASVS 5.0 V7.5.3");
        api.MapPost("/{reference}/legal-advice", ([AsParameters] CaseRequest request, LegalAdviceRequest advice, CancellationToken ct) =>
                Answer(request.Db.RecordLegalAdviceAsync(request.Reference, advice, request.User, request.Sealer, request.Clock, ct)))
            .RequireAuthorization(StepUp.Policy)
            .WithSummary("Record legal advice (1 to 5,000 characters, sealed, in the compartment; the timeline says only that advice was recorded) "
                + "and make a task to follow it up with the reporter by followUpOn (5 working days on if left out). 404 for anyone outside the compartment; "
                + "403 without a recent second factor, as for reading it");
        api.MapPost("/{reference}/redactions", ([AsParameters] CaseRequest request, RedactionRequest redaction, CancellationToken ct) =>
                Answer(request.Db.RedactAsync(request.Reference, redaction, request.User, request.Sealer, request.Clock, ct)))
            .RequireAuthorization(StepUp.Policy)
            .WithSummary("Redact a field of the report (field: a RedactableFields code) or a message (messageId) irreversibly, with a reason "
                + "(1 to 5,000 characters, sealed on the timeline): the text is destroyed here and in intake's copy. 204, also when it was "
                + "already redacted; 400 for neither or both, an unknown field, a field with nothing in it, a message of another case, or no reason; "
                + "404 for anyone but whoever has the case, its team leads and admins; 403 without a recent second factor (Staff:StepUpWindow, "
                + "15 minutes; confirm it at /cases/confirm)");
        return api;
    }

    /// <summary>The starting text of an alert to a department (plain text, at most a few hundred characters).</summary>
    internal sealed record AlertDraftText(string Text);

    internal sealed record CaseRequest(string Reference, CasesDbContext Db, Sealer Sealer, [FromKeyedServices(Sealer.Mail)] Sealer Mail,
        ClaimsPrincipal User, TimeProvider Clock);

    static async Task<Results<Ok<CaseView>, NotFound>> GetAsync([AsParameters] CaseRequest request, CancellationToken ct) =>
        await request.Db.ViewCaseAsync(request.Reference, request.Sealer, request.User, request.Clock, ct) is { } view
            ? TypedResults.Ok(view) : TypedResults.NotFound();

    static async Task<Results<NoContent, NotFound, ValidationProblem>> ReplyAsync([AsParameters] CaseRequest request, CaseReply reply,
        CancellationToken ct) =>
        Answer(await request.Db.ReplyAsync(request.Reference, reply.Body, request.User, request.Sealer, request.Mail, request.Clock, ct).AtOnceAsync());

    static async Task<Results<NoContent, NotFound, ValidationProblem>> ChangeStatusAsync([AsParameters] CaseRequest request,
        CaseStatusChange change, CancellationToken ct) =>
        Answer(await request.Db.ChangeStatusAsync(request.Reference, change, request.User, request.Sealer, request.Clock, ct).AtOnceAsync());

    static async Task<Results<NoContent, NotFound, ValidationProblem>> RecordInvolvementAsync([AsParameters] CaseRequest request,
        InvolvementRequest involvement, CancellationToken ct) =>
        Answer(await request.Db.RecordInvolvementAsync(request.Reference, involvement.UserId, request.User, request.Clock, ct).AtOnceAsync());

    // A file opens only through this, as a download: every opening is recorded, and the browser is told not to
    // run or guess at what it holds (HeaderPolicy.Download: a sandbox, nosniff).
    static async Task<Results<FileContentHttpResult, NotFound>> GetEvidenceAsync([AsParameters] CaseRequest request, Guid id, CancellationToken ct)
    {
        var db = request.Db;
        var found = await db.Evidence.Join(db.VisibleCases(request.User), e => e.ReportId, c => c.ReportId, (e, c) => new { Evidence = e, CaseId = c.Id, c.Reference })
            .SingleOrDefaultAsync(x => x.Evidence.Id == id && x.Reference == request.Reference, ct);
        if (found is null) return TypedResults.NotFound();
        db.AuditLog.Add(AuditEntry.By(request.User, "evidence.viewed", request.Clock, found.CaseId, found.Evidence.FileName));
        await db.SaveChangesAsync(ct);
        return TypedResults.File(request.Sealer.OpenBytes(found.Evidence.SealedContent), found.Evidence.ContentType, found.Evidence.FileName);
    }

    static async Task<Results<NoContent, NotFound, ValidationProblem>> Answer(Task<CaseWorkResult> work) => Answer(await work.AtOnceAsync());

    static Results<NoContent, NotFound, ValidationProblem> Answer(CaseWorkResult result) => result switch
    {
        { Found: false } => TypedResults.NotFound(),
        { Problem: { } problem } => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [problem.Field] = [problem.Message] }),
        _ => TypedResults.NoContent(),
    };
}
