using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authentication;

namespace Harbour.Cases.Staff;

// POST /cases/sign-out, from the staff layout on any staff service's page. Ends the session on the server, so a copy of the
// cookie stops working too. No form token: the page that asks may belong to another service, whose tokens cases cannot
// check; a cross-site post cannot sign anyone out, because the staff cookie is SameSite=Strict and such a post is refused
// by its Sec-Fetch-Site header besides (OWASP ASVS 5.0 V3.5.3).
public static class SignOut
{
    public static IEndpointRouteBuilder MapStaffSignOut(this IEndpointRouteBuilder app)
    {
        app.MapPost("/cases/sign-out", async (HttpContext http, CasesDbContext db, IConfiguration configuration, TimeProvider clock) =>
            {
                if (http.Request.Headers["Sec-Fetch-Site"] == "cross-site") return Results.StatusCode(StatusCodes.Status403Forbidden);
                var result = await http.AuthenticateAsync();
                if (result.Principal is { } user) await db.EndAsync(user, "signed out", clock, http.RequestAborted);
                http.Response.Cookies.Delete(StaffAuthentication.CookieNameFor(http.Request, configuration), StaffAuthentication.CookieOptions(http.Request, configuration));
                return Results.LocalRedirect(StaffAuthentication.SignInPath);
            })
            .DisableAntiforgery()
            .ExcludeFromDescription();
        return app;
    }
}
