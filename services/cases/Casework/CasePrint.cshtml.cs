using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Cases.Casework;

// /cases/{reference}/print: a case summary to print for a meeting or a legal referral. Redacted content is gone, so it is not
// in it; the legal compartment is not in it either. Opening it is audited as a print (case.printed).
[Authorize(Policy = StaffPolicies.CaseWork)]
public sealed class CasePrintModel(CasesDbContext db, Sealer sealer, TimeProvider clock) : PageModel
{
    public CaseView? View { get; private set; }
    public DateTimeOffset PrintedAt => clock.GetUtcNow();

    public async Task<IActionResult> OnGetAsync(string reference, CancellationToken ct)
    {
        View = await db.ViewCaseAsync(reference, sealer, User, clock, ct, audit: "case.printed");
        return View is null ? NotFound() : Page();
    }
}
