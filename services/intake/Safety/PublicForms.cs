using Microsoft.AspNetCore.Antiforgery;

namespace Harbour.Intake.Safety;

public enum FormState { Valid, Expired, Left }

// The public forms' antiforgery tokens, and what a refused one means for what the reporter typed.
public static class PublicForms
{
    // The antiforgery cookie of the public forms.
    public const string Cookie = "harbour_form";

    public static IServiceCollection AddPublicForms(this IServiceCollection services) => services.AddAntiforgery(options =>
    {
        options.Cookie.Name = Cookie;
        options.Cookie.SameSite = SameSiteMode.Strict;
    });

    // What the browser says of where a request comes from: a page of this site, or the reporter typing the address.
    // (Browsers too old to say are taken at their word.)
    public static bool IsFromThisSite(this HttpRequest request) =>
        request.Headers["Sec-Fetch-Site"].ToString() is "" or "same-origin" or "none";

    // A form's token is refused when the page was open too long (keys changed, the browser restarted): its content is
    // then shown again to send, as nothing is sent without a good token. After a quick exit it is not shown at all.
    // (The framework's own warning for each refused token is silenced in appsettings.json: this line says it instead.)
    public static async Task<FormState> CheckFormAsync(this HttpContext context)
    {
        if (await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context)) return FormState.Valid;
        // Another site's form, or one from before a quick exit, gets nothing back; only this site's own expired page does.
        var state = context.Request.Cookies.ContainsKey(QuickExit.LeftCookie) || !context.Request.IsFromThisSite() ? FormState.Left : FormState.Expired;
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PublicForms))
            .LogInformation("A {Page} form with an old token was refused ({State}); nothing was sent", context.Request.Path.Value, state);
        return state;
    }
}
