using Harbour.Intake.Evidence;
using Harbour.Intake.Reports;
using Harbour.Intake.Safety;
using Microsoft.EntityFrameworkCore;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Intake.FollowUp;

// /follow-up: reference and receipt open a short session (a sealed cookie for this path only), in which the reporter
// reads where their report stands and talks with their case manager.
[RequestSizeLimit(Attachments.MaxPostBytes), RequestFormLimits(MultipartBodyLengthLimit = Attachments.MaxPostBytes)]
[IgnoreAntiforgeryToken] // checked in each handler, so that an expired page keeps what was typed
public sealed class FollowUpPageModel(IntakeDbContext db, Sealer sealer, FollowUpThrottle throttle, TimeProvider clock,
    IConfiguration configuration, ILogger<FollowUpPageModel> log) : PageModel
{
    public const string Refused = "We could not open a report with that reference and receipt. Check both and try again.";
    public const string TooMany = "There have been too many attempts to open this report. To keep reports safe, please wait 15 minutes and try again.";

    public FollowUpView? View { get; private set; }
    public string? Reference { get; private set; }
    public string? Error { get; private set; }
    public string? MessageError { get; private set; }
    public string? FileError { get; private set; }
    public string? Draft { get; private set; }
    // The id the message form carries, so that the same form posted twice keeps one message; kept with the draft.
    public Guid MessageId { get; private set; } = Guid.CreateVersion7();

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (await db.SessionReportAsync(HttpContext, clock, ct) is not { } report) return;
        View = await db.ViewAsync(report, sealer, ct);
    }

    bool Secure => Request.IsHttps || configuration["Harbour:PublicUrl"]?.StartsWith("https:", StringComparison.OrdinalIgnoreCase) == true;

    public async Task<IActionResult> OnPostOpenAsync(string? reference, string? receipt, string? draft, CancellationToken ct)
    {
        (Reference, Draft) = (reference?.Trim(), draft);
        switch (await HttpContext.CheckFormAsync())
        {
            case FormState.Left:
                return Redirect("/follow-up?expired");
            case FormState.Expired:
                Error = "This page had been open a long time. Enter your receipt again to open your report.";
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
        }
        if (await db.FindAsync(reference, receipt, ct) is not { } report)
        {
            var tooMany = !throttle.CountFailure(reference ?? "");
            if (tooMany) log.LogWarning("Follow-up attempts refused for a while: too many");
            Error = tooMany ? TooMany : Refused;
            Response.StatusCode = tooMany ? StatusCodes.Status429TooManyRequests : StatusCodes.Status400BadRequest;
            return Page();
        }
        await db.StartSessionAsync(HttpContext, report, clock, Secure, ct);
        if (string.IsNullOrWhiteSpace(draft)) return Redirect("/follow-up");
        // A message typed before the session ended is shown again, ready to send.
        View = await db.ViewAsync(report, sealer, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostMessageAsync(string? body, Guid? messageId, CancellationToken ct)
    {
        if (messageId is { } id && id != Guid.Empty) MessageId = id;
        var form = await HttpContext.CheckFormAsync();
        if (form == FormState.Left) return Redirect("/follow-up?expired");
        if (await db.SessionReportAsync(HttpContext, clock, ct) is not { } report)
        {
            (Error, Draft) = ("Your report closed itself after a while without use, to keep it safe. Open it again to send your message: it is kept below."
                + Attachments.ChooseAgain(Request, " after you open your report"), body);
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        var problem = form == FormState.Expired
            ? "This page had been open a long time, so your message was not sent yet. Send it again."
            : FollowUpAccess.CheckMessage(body);
        if (problem is not null)
        {
            (MessageError, Draft) = (problem + Attachments.ChooseAgain(Request), body);
            View = await db.ViewAsync(report, sealer, ct);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        // A refused file sends the reporter back with the message kept.
        var (files, fileProblem) = await Attachments.ReadAsync(Request.HasFormContentType ? Request.Form.Files.GetFiles("evidence") : [], ct,
            await db.NextEvidenceNumberAsync(report.Id, ct), log);
        if (fileProblem is not null)
        {
            (FileError, Draft) = (fileProblem, body);
            View = await db.ViewAsync(report, sealer, ct);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (await db.PostAsync(report, body!, sealer, clock, ct, MessageId, files) is null)
        {
            // Only a tampered form names another message's id: nothing was kept, and the message goes again with a new one.
            (MessageError, Draft, MessageId) = ("Your message was not sent. Send it again." + Attachments.ChooseAgain(Request), body, Guid.CreateVersion7());
            View = await db.ViewAsync(report, sealer, ct);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
        log.LogInformation("Reporter wrote on report {Reference} ({Files} files)", report.Reference, files.Count);
        return Redirect("/follow-up#latest");
    }

    public async Task<IActionResult> OnPostLeaveAsync(CancellationToken ct)
    {
        // Closing needs no token (an expired page must still close the report), but it must come from this site.
        if (Request.IsFromThisSite()) await db.EndSessionAsync(HttpContext, ct);
        return Redirect("/");
    }
}
