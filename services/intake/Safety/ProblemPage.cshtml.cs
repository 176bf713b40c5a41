using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Intake.Safety;

// /problem: what a reporter sees when what they sent could not be taken, in the site's layout with its quick exit. Shown
// again for the failed request itself (ErrorPages), so it never reads the form and never needs a form token.
[IgnoreAntiforgeryToken]
public sealed class ProblemPageModel : PageModel
{
    // The failed request's status; opened directly, the page is simply not a page (404).
    public int Status => Harbour.ServiceDefaults.BadInput.FailedStatus(HttpContext);
}
