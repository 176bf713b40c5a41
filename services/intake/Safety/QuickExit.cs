using Harbour.Intake.FollowUp;

namespace Harbour.Intake.Safety;

// "Leave this site quickly", at the top of every public page, passes here on its way to a neutral page.
public static class QuickExit
{
    // The mark the quick exit leaves on this device (12 hours): forms shown before it are answered with an empty page.
    public const string LeftCookie = "harbour_left";

    public static string Url(IConfiguration configuration) => configuration["Harbour:QuickExitUrl"] ?? "https://www.bbc.co.uk/weather";

    // A follow-up session open on this device ends, and the forms shown before stop working, before the neutral page shows.
    public static IEndpointRouteBuilder MapQuickExit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/follow-up/exit", async (HttpContext http, IntakeDbContext db, IConfiguration configuration) =>
        {
            // Another site sending a reporter here must not end their session or spoil a report open in another tab.
            if (http.Request.IsFromThisSite())
            {
                await db.EndSessionAsync(http, http.RequestAborted);
                http.Response.LeaveQuickly();
            }
            return TypedResults.Redirect(Url(configuration));
        }).ExcludeFromDescription();
        return app;
    }

    // Leaving quickly kills every form shown before: a page kept in the browser's history
    // and sent again (Back, then Reload) is answered with an empty page, never with what it carried.
    static void LeaveQuickly(this HttpResponse response)
    {
        response.Cookies.Delete(PublicForms.Cookie, new CookieOptions { Path = "/" });
        response.Cookies.Append(LeftCookie, "1", new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", IsEssential = true, MaxAge = TimeSpan.FromHours(12),
        });
    }
}
