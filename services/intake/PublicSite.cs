using System.Threading.RateLimiting;
using Harbour.Intake.FollowUp;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.RateLimiting;

namespace Harbour.Intake;

// What makes the public site safe to use on a shared or monitored device, and hard to flood.
public static class PublicSite
{
    public const string Submissions = "submissions";
    // The antiforgery cookie of the public forms, and the mark the quick exit leaves on this device.
    public const string FormCookie = "harbour_form";
    public const string LeftCookie = "harbour_left";

    // Submissions share one budget (the gateway does not pass on reporters' addresses, so there is none to key on);
    // reading pages is never limited.
    public static IHostApplicationBuilder AddPublicSite(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = FormCookie;
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
        var perMinute = builder.Configuration.GetValue("Reports:SubmissionsPerMinute", 300);
        builder.Services.AddRateLimiter(options =>
        {
            options.AddPolicy(Submissions, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetTokenBucketLimiter("submissions", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perMinute, TokensPerPeriod = perMinute, ReplenishmentPeriod = TimeSpan.FromMinutes(1), QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter("reading"));
            options.OnRejected = (context, ct) => RefuseAsync(context.HttpContext, ct);
        });
        return builder;
    }

    public static WebApplication UsePublicSite(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            // Nothing a reporter sees or typed is kept by the browser or a proxy, or shown to another site.
            var headers = context.Response.Headers;
            // Written as antiforgery writes it on form pages, so that it has nothing to override (and warn about).
            if (!context.Request.Path.StartsWithSegments("/assets"))
            {
                headers.CacheControl = "no-cache, no-store";
                headers.Pragma = "no-cache";
            }
            headers["Referrer-Policy"] = "no-referrer";
            headers["X-Content-Type-Options"] = "nosniff";
            headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'";
            return next(context);
        });
        app.UseRateLimiter();
        return app;
    }

    // Leaving quickly ends a follow-up session and kills every form shown before: a page kept in the browser's history
    // and sent again (Back, then Reload) is answered with an empty page, never with what it carried.
    public static void LeaveQuickly(this HttpResponse response)
    {
        response.EndSession();
        response.Cookies.Delete(FormCookie, new CookieOptions { Path = "/" });
        response.Cookies.Append(LeftCookie, "1", new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", IsEssential = true, MaxAge = TimeSpan.FromHours(12),
        });
    }

    // What the browser says of where a request comes from: a page of this site, or the reporter typing the address.
    // (Browsers too old to say are taken at their word.)
    public static bool IsFromThisSite(this HttpRequest request) =>
        request.Headers["Sec-Fetch-Site"].ToString() is "" or "same-origin" or "none";

    public enum FormState { Valid, Expired, Left }

    // A form's token is refused when the page was open too long (keys changed, the browser restarted): its content is
    // then shown again to send, as nothing is sent without a good token. After a quick exit it is not shown at all.
    // (The framework's own warning for each refused token is silenced in appsettings.json: this line says it instead.)
    public static async Task<FormState> CheckFormAsync(this HttpContext context)
    {
        if (await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context)) return FormState.Valid;
        // Another site's form, or one from before a quick exit, gets nothing back; only this site's own expired page does.
        var state = context.Request.Cookies.ContainsKey(LeftCookie) || !context.Request.IsFromThisSite() ? FormState.Left : FormState.Expired;
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PublicSite))
            .LogInformation("A {Page} form with an old token was refused ({State}); nothing was sent", context.Request.Path.Value, state);
        return state;
    }

    static string Encode(string? text) => System.Net.WebUtility.HtmlEncode(text ?? "");

    static async ValueTask RefuseAsync(HttpContext context, CancellationToken ct)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = "60";
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            await Results.Problem("Too many reports are arriving at once. Please try again in a minute.",
                statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context);
            return;
        }
        // The report comes back in the page, ready to send again once the minute has passed: nothing typed is lost
        // (files must be attached again). Only this site's own valid form, and only its text: a large body (files) is
        // not read while the site is overloaded, and a page from before a quick exit gets nothing back.
        var fields = await ReportToKeepAsync(context);
        var exit = System.Net.WebUtility.HtmlEncode(FollowUpApi.QuickExitUrl(context.RequestServices.GetRequiredService<IConfiguration>()));
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync($"""
            <!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Please try again in a minute - Report harassment</title><link rel="stylesheet" href="/assets/site.css"></head>
            <body><a class="quick-exit" data-quick-exit="{exit}" rel="noreferrer" href="/follow-up/exit">Leave this site quickly</a>
            <main class="page"><h1>Please try again in a minute</h1>
            <p>A lot of reports are arriving at once and yours was not sent. {(fields.Count > 0
                ? "Nothing you wrote is lost. Wait a minute, then go back to your report and send it again. If you attached files, attach them again."
                : "Wait a minute, then go back and send it again.")}</p>
            {(fields.Count > 0 ? $"""<form method="post" action="/report">{string.Concat(fields)}<button type="submit" name="step" value="change">Go back to my report</button></form>""" : "")}
            <p>If you are in danger now, call 999.</p></main><script src="/assets/site.js" defer></script></body></html>
            """, ct);
    }

    static async Task<List<string>> ReportToKeepAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.HasFormContentType || request.ContentLength is not (> 0 and <= 256 * 1024)) return [];
        try
        {
            if (await context.CheckFormAsync() != FormState.Valid) return [];
            return (await request.ReadFormAsync(context.RequestAborted)).Where(f => f.Key != "step")
                .SelectMany(f => f.Value.Select(value => $"<input type=\"hidden\" name=\"{Encode(f.Key)}\" value=\"{Encode(value)}\">"))
                .ToList();
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return [];
        }
    }
}
