using Harbour.Cases.Casework;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Redaction;

// /cases/{reference}/redact: choose a field of the report or a message, say why, confirm, and it is gone for good. For those
// responsible for the case (anyone else: not found, as for a case they cannot see). A mistake comes back beside its field
// with the choice and the reason kept. Asks for a recent second factor (StepUp).
[Authorize(Policy = StaffPolicies.CaseWork)]
[Authorize(Policy = Staff.StepUp.Policy)]
public sealed class RedactPageModel(CasesDbContext db, Sealer sealer, TimeProvider clock) : PageModel
{
    public CaseView? View { get; private set; }
    public FieldProblem? Problem { get; private set; }
    public string? Item { get; private set; }
    public string? Reason { get; private set; }

    public async Task<IActionResult> OnGetAsync(string reference, CancellationToken ct)
    {
        if (await db.VisibleCases(User).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found
            || !await db.IsResponsibleForAsync(User, found, ct)) return NotFound();
        View = await db.ViewCaseAsync(reference, sealer, User, clock, ct);
        return View is null ? NotFound() : Page();
    }

    // item: field:{code} or message:{id}, as the page's choices name them.
    public async Task<IActionResult> OnPostAsync(string reference, string? item, string? reason, bool confirm, CancellationToken ct)
    {
        var (field, message) = item?.Split(':', 2) switch
        {
            ["field", var code] => (code, (Guid?)null),
            ["message", var id] when Guid.TryParse(id, out var messageId) => (null, messageId),
            _ => ((string?)null, (Guid?)null),
        };
        var result = field is null && message is null ? new CaseWorkResult(true, new("item", "Choose one field or one message to redact."))
            : string.IsNullOrWhiteSpace(reason) || confirm ? await db.RedactAsync(reference, new RedactionRequest(field, message, reason), User, sealer, clock, ct).AtOnceAsync(db)
            : new CaseWorkResult(true, new("confirm", "Tick the box to confirm: what is redacted cannot be brought back."));
        if (!result.Found) return NotFound();
        if (result.Problem is null)
        {
            TempData["notice"] = "Redacted. The timeline says what, by whom and why.";
            return Redirect($"/cases/{reference}#timeline");
        }
        (Problem, Item, Reason) = (result.Problem, item, reason);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return await OnGetAsync(reference, ct);
    }
}
