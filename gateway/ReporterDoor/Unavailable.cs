using System.Security.Cryptography;
using System.Text;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Harbour.Gateway.ReporterDoor;

// When the public site cannot be reached (intake down, restarting or too slow), a reporter still gets a page: in the
// site's words, with the way out at the top, saying that nothing was sent and when to try again, with the
// privacy headers of every public page. The status stays honest for machines (503 with Retry-After); the API gets
// the same as ProblemDetails (RFC 9457). The page is self-contained: the site's stylesheet is behind the same outage.
public static class Unavailable
{
    const string Style = "body{margin:0;font:1.125rem/1.5 system-ui,sans-serif;color:#0b0c0c;overflow-wrap:anywhere}" +
        "header{background:#1d3557;padding:.75rem 1rem;display:flex;justify-content:space-between;align-items:center;gap:1rem}" +
        "header span{color:#fff;font-weight:700}a.quick-exit{background:#d4351c;color:#fff;padding:.5rem 1rem;font-weight:700}" +
        "main{max-width:38rem;padding:1rem}";
    static readonly string StyleHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)));

    public static void UseUnavailablePage(this IReverseProxyApplicationBuilder proxy) => proxy.Use(async (context, next) =>
    {
        await next();
        if (context.GetForwarderErrorFeature() is null || context.Response.HasStarted) return;
        if (context.GetReverseProxyFeature().Route.Config.Metadata?.GetValueOrDefault("Privacy") != "reporter") return;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = "60";
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XContentTypeOptions = "nosniff";
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            await Results.Problem("The reporting service cannot be reached just now. Nothing was received: please try again in a few minutes.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable").ExecuteAsync(context);
            return;
        }
        response.Headers.ContentSecurityPolicy = $"default-src 'none'; style-src 'sha256-{StyleHash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        response.ContentType = "text/html; charset=utf-8";
        var exit = System.Net.WebUtility.HtmlEncode(context.RequestServices.GetRequiredService<IConfiguration>()["Harbour:QuickExitUrl"]
            ?? "https://www.bbc.co.uk/weather");
        await response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="en-GB">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer"><title>Please try again in a few minutes</title><style>{Style}</style></head>
            <body>
            <header><span>Report harassment</span><a class="quick-exit" rel="noreferrer" href="{exit}">Leave this site quickly</a></header>
            <main>
            <h1>Please try again in a few minutes</h1>
            <p>The reporting site cannot be reached just now. If you were sending something, it was not received: please keep what you wrote and send it again in a few minutes.</p>
            <p>If you are in danger now, call 999.</p>
            </main>
            </body>
            </html>
            """);
    });
}
