using System.Security.Cryptography;
using System.Text;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Harbour.Gateway.ReporterDoor;

// When the public site cannot be reached (intake down, restarting or too slow), or what the reporter's connection sent
// could not be passed on (larger than the gateway takes), a reporter still gets a page: in the site's words, with the
// way out at the top, saying what to do, with the privacy headers of every public page. The status stays honest for
// machines (503 with Retry-After, or the client's 400/413); the API gets the same as ProblemDetails (RFC 9457). The
// page is self-contained: the site's stylesheet is behind the same outage.
public static class Unavailable
{
    const string Style = "body{margin:0;font:1.125rem/1.5 system-ui,sans-serif;color:#0b0c0c;overflow-wrap:anywhere}" +
        "header{background:#1d3557;padding:.75rem 1rem;display:flex;justify-content:space-between;align-items:center;gap:1rem}" +
        "header span{color:#fff;font-weight:700}a.quick-exit{background:#d4351c;color:#fff;padding:.5rem 1rem;font-weight:700}" +
        "main{max-width:38rem;padding:1rem}";
    static readonly string StyleHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)));

    static IEnumerable<Exception> Flatten(Exception? exception) => exception switch
    {
        null => [],
        AggregateException all => all.InnerExceptions.SelectMany(Flatten),
        _ => [exception, .. Flatten(exception.InnerException)],
    };

    public static void UseUnavailablePage(this IReverseProxyApplicationBuilder proxy) => proxy.Use(async (context, next) =>
    {
        await next();
        if (context.GetForwarderErrorFeature() is not { } failure || context.Response.HasStarted) return;
        if (context.GetReverseProxyFeature().Route.Config.Metadata?.GetValueOrDefault("Privacy") != "reporter") return;
        // A reporter who has gone (closed the tab, lost the signal) needs no page.
        if (context.RequestAborted.IsCancellationRequested) return;
        // What the reporter's own connection could not send (larger than the gateway takes, too slow) is theirs to send
        // again; anything else before an answer means the site could not be reached or did not answer in time.
        var sent = failure.Error == ForwarderError.RequestBodyClient
            ? Flatten(failure.Exception).OfType<BadHttpRequestException>().FirstOrDefault()?.StatusCode ?? StatusCodes.Status400BadRequest
            : (int?)null;
        var response = context.Response;
        response.StatusCode = sent ?? StatusCodes.Status503ServiceUnavailable;
        if (sent is null) response.Headers.RetryAfter = "60";
        var (title, text) = sent switch
        {
            StatusCodes.Status413PayloadTooLarge => ("What you sent was too large",
                "Nothing was sent. Files can be up to 5 MB each: go back, leave out the largest files, and send it again."),
            not null => ("What you sent did not arrive whole",
                "Nothing was sent. The connection may have been slow or cut off: go back and send it again."),
            null => ("Please try again in a few minutes", "The reporting site cannot be reached just now, so we could not confirm that what "
                + "you sent arrived. Keep what you wrote and send it again in a few minutes: a report or message sent twice is kept once."),
        };
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XContentTypeOptions = "nosniff";
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            await Results.Problem(text, statusCode: response.StatusCode, title: title).ExecuteAsync(context);
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
            <meta name="referrer" content="no-referrer"><title>{title}</title><style>{Style}</style></head>
            <body>
            <header><span>Report harassment</span><a class="quick-exit" rel="noreferrer" href="{exit}">Leave this site quickly</a></header>
            <main>
            <h1>{title}</h1>
            <p>{text}</p>
            <p>If you are in danger now, call 999.</p>
            </main>
            </body>
            </html>
            """);
    });
}
