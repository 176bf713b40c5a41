using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Cases.Casework;

[Authorize(Policy = StaffPolicies.CaseWork)]
public sealed class CaseDetailModel(CasesDbContext db, Sealer sealer, TimeProvider clock) : PageModel
{
    public CaseView? View { get; private set; }
    public FieldProblem? Problem { get; private set; }
    public string? Draft { get; private set; }

    public async Task<IActionResult> OnGetAsync(string reference, CancellationToken ct)
    {
        View = await db.ViewCaseAsync(reference, sealer, User, clock, ct);
        if (View is null) Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }

    public async Task<IActionResult> OnPostReplyAsync(string reference, string? body, CancellationToken ct) =>
        await AnswerAsync(reference, await db.ReplyAsync(reference, body, User, sealer, clock, ct), body, ct);

    public async Task<IActionResult> OnPostInvolvedAsync(string reference, CancellationToken ct)
    {
        var result = await db.RecordInvolvementAsync(reference, null, User, clock, ct);
        if (!result.Found) return NotFound();
        TempData["notice"] = "Recorded: you are involved in that case, so you will not see it again. Another case manager will take it.";
        return Redirect("/cases");
    }

    public async Task<IActionResult> OnPostStatusAsync(string reference, string? status, CancellationToken ct) =>
        await AnswerAsync(reference, await db.ChangeStatusAsync(reference, status, User, clock, ct), null, ct);

    async Task<IActionResult> AnswerAsync(string reference, CaseWorkResult result, string? draft, CancellationToken ct)
    {
        if (!result.Found) return NotFound();
        if (result.Problem is null) return Redirect($"/cases/{reference}#conversation");
        (Problem, Draft) = (result.Problem, draft);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return await OnGetAsync(reference, ct);
    }
}
