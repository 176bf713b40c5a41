using Harbour.ServiceDefaults;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Staff.Problems;

// /staff/problem: what a member of staff sees when a page fails or cannot read what was sent, in the staff layout,
// never raw JSON. Shown again for the failed request itself (StaffErrorPages), so it never reads the form; opened
// directly it is simply not a page (404). Reached only inside a service: the gateway routes no /staff path.
[AllowAnonymous, IgnoreAntiforgeryToken]
public sealed class StaffProblemModel : PageModel
{
    public int Status => BadInput.FailedStatus(HttpContext);
}

public static class StaffErrorPages
{
    public const string Path = "/staff/problem";

    // Staff pages (not /api, which keeps ProblemDetails, nor the health probes): a failure or an answer with no body shows
    // the problem page with the failure's status (BadInput: a form that cannot be read is 400, not 500). Before UseRouting.
    public static IApplicationBuilder UseStaffErrorPages(this IApplicationBuilder app) =>
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments("/health")
                && !context.Request.Path.StartsWithSegments("/alive"), pages => pages
            .UseProblemPage(Path));
}
