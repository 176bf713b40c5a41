using Harbour.Cases.Casework;
using Harbour.Cases.Staff;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Cases.Legal;

// /cases/{reference}/legal: the case's legal compartment, for whoever has the case, its team leads and admins (anyone else:
// not found, as for a case they cannot see). Every look is audited, and asks for a recent second factor (StepUp).
[Authorize(Policy = StaffPolicies.CaseWork)]
[Authorize(Policy = StepUp.Policy)]
public sealed class LegalAdvicePageModel(CasesDbContext db, Sealer sealer, TimeProvider clock) : PageModel
{
    public LegalCompartmentView? View { get; private set; }
    public FieldProblem? Problem { get; private set; }
    public string? Typed { get; private set; }
    public string? TypedFollowUpOn { get; private set; }

    public async Task<IActionResult> OnGetAsync(string reference, CancellationToken ct)
    {
        View = await db.ReadLegalAdviceAsync(reference, User, sealer, clock, ct);
        return View is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(string reference, Guid? adviceId, string? advice, DateOnly? followUpOn, CancellationToken ct)
    {
        var result = await db.RecordLegalAdviceAsync(reference, new LegalAdviceRequest(adviceId, advice, followUpOn), User, sealer, clock, ct).AtOnceAsync(db);
        if (!result.Found) return NotFound();
        if (result.Problem is null) return Redirect($"/cases/{reference}/legal");
        (Problem, Typed, TypedFollowUpOn) = (result.Problem, advice, followUpOn?.ToString("yyyy-MM-dd"));
        Response.StatusCode = StatusCodes.Status400BadRequest;
        View = await db.ReadLegalAdviceAsync(reference, User, sealer, clock, ct);
        return Page();
    }
}
