using Harbour.Contracts;
using Harbour.Intake.Evidence;
using Harbour.Intake.Safety;
using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Intake.Reports;

[RequestSizeLimit(Attachments.MaxPostBytes), RequestFormLimits(MultipartBodyLengthLimit = Attachments.MaxPostBytes)]
[IgnoreAntiforgeryToken] // checked in OnPostAsync, so that an expired page keeps what was typed
public sealed class ReportFormModel(IntakeDbContext db, InstitutionProfiles profiles, Sealer sealer, TimeProvider clock,
    ILogger<ReportFormModel> log)
    : PageModel
{
    [BindProperty] public ReportRequest Report { get; set; } = new();
    public Dictionary<string, string[]> Errors { get; private set; } = [];
    public SubmittedReport? Submitted { get; private set; }
    // The page was sent again (reloaded): the report was kept once, and its receipt is not shown again.
    public bool AlreadySent { get; private set; }
    public InstitutionProfile Profile { get; private set; } = null!;
    public int ProfileVersion { get; private set; }
    // Between the form and sending, the reporter checks what they wrote.
    public bool Checking { get; private set; }
    public string? Notice { get; private set; }
    // Too many reports at once: the page says so and carries the report back to the form, to send when the minute has passed.
    public bool TooMany { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        (ProfileVersion, Profile) = await profiles.CurrentAsync(cancellationToken);

    // step: "check" shows the summary, "change" goes back to the form, "send" (or none, as an app might post) sends.
    public async Task<IActionResult> OnPostAsync(string? step, CancellationToken cancellationToken)
    {
        var form = await HttpContext.CheckFormAsync();
        if (HttpContext.Features.Get<SubmissionBudget.Spent>() is not null)
        {
            // Only this site's own page gets what it carried back.
            if (form != FormState.Valid) Report = new();
            (TooMany, Response.StatusCode) = (true, StatusCodes.Status429TooManyRequests);
            Response.Headers.RetryAfter = SubmissionBudget.RetryAfterSeconds.ToString();
            await OnGetAsync(cancellationToken);
            return Page();
        }
        switch (form)
        {
            case FormState.Left:
                return Redirect("/report?expired");
            case FormState.Expired:
                Notice = "This page had been open a long time, so nothing was sent. Check what you wrote, then send it again."
                    + Attachments.ChooseAgain(Request, " on the check page");
                step = "change";
                break;
        }
        await OnGetAsync(cancellationToken);
        if (step == "change") return Page();
        Errors = Report.Validate(UkTime.Today(clock), Profile);
        if (Errors.Count == 0 && step == "check")
        {
            Checking = true;
            Report.SubmissionId ??= Guid.NewGuid().ToString();
            return Page();
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        // Files are attached on the check page; a file refused sends the reporter back there with the report intact.
        var (attachments, problem) = await Attachments.ReadAsync(Request.HasFormContentType ? Request.Form.Files.GetFiles("evidence") : [], cancellationToken,
            log: log);
        if (problem is not null)
        {
            Errors["evidence"] = [problem];
            Checking = true;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        // The confirmation is rendered in answer to the post, never redirected to: the receipt must not
        // travel in a URL or be kept anywhere to be shown later.
        var (submitted, outcome) = await db.SubmitAsync(Report, ProfileVersion, ReportChannels.Form, sealer, clock, log, cancellationToken, attachments);
        if (outcome == SubmissionOutcome.IdTaken)
        {
            // This page sent a report before, and has been changed since (Back in the browser, then Send): the changed
            // report is another report, not sent yet. It goes back to the check page with an id of its own.
            Notice = "A report was already sent from this page. What is below, with your changes, has not been sent: check it, "
                + "then send it as a new report." + (attachments.Count > 0 ? " Attach your files again." : "");
            (Checking, Report.SubmissionId) = (true, Guid.NewGuid().ToString());
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
        (Submitted, AlreadySent) = (submitted, outcome == SubmissionOutcome.AlreadySent);
        return Page();
    }

    public string? ErrorFor(string field) => Errors.TryGetValue(field, out var messages) ? messages[0] : null;
}
