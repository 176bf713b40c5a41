using Harbour.Intake.Reports;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Intake.FollowUp;

// /follow-up: reference and receipt open a short session (a sealed cookie for this path only), in which the reporter
// reads where their report stands and talks with their case manager.
public sealed class FollowUpPageModel(IntakeDbContext db, Sealer sealer, FollowUpThrottle throttle, TimeProvider clock,
    ILogger<FollowUpPageModel> log) : PageModel
{
    public const string Refused = "We could not open a report with that reference and receipt. Check both and try again.";
    public const string TooMany = "There have been too many attempts to open this report. To keep reports safe, please wait 15 minutes and try again.";

    public FollowUpView? View { get; private set; }
    public string? Reference { get; private set; }
    public string? Error { get; private set; }
    public string? MessageError { get; private set; }
    public string? Draft { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (await db.SessionReportAsync(Request, sealer, clock, ct) is { } report) View = await db.ViewAsync(report, sealer, ct);
    }

    public async Task<IActionResult> OnPostOpenAsync(string? reference, string? receipt, CancellationToken ct)
    {
        Reference = reference?.Trim();
        if (!throttle.Allows(reference ?? ""))
        {
            log.LogWarning("Follow-up attempts refused for a while: too many");
            Error = TooMany;
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }
        if (await db.FindAsync(reference, receipt, ct) is not { } report)
        {
            Error = Refused;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Response.StartSession(report, sealer, clock);
        return Redirect("/follow-up");
    }

    public async Task<IActionResult> OnPostMessageAsync(string? body, CancellationToken ct)
    {
        if (await db.SessionReportAsync(Request, sealer, clock, ct) is not { } report) return Redirect("/follow-up");
        if (FollowUpAccess.CheckMessage(body) is { } problem)
        {
            (MessageError, Draft) = (problem, body);
            View = await db.ViewAsync(report, sealer, ct);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await db.PostAsync(report, body!, sealer, clock, ct);
        log.LogInformation("Reporter wrote on report {Reference}", report.Reference);
        return Redirect("/follow-up#latest");
    }

    public IActionResult OnPostLeave()
    {
        Response.EndSession();
        return Redirect("/");
    }
}
