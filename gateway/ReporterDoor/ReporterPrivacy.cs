using Harbour.ServiceDefaults.Security;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Harbour.Gateway.ReporterDoor;

// Routes marked "Privacy": "reporter" carry nothing about the reporter's connection or device to the service behind:
// only the headers on this list go on (no address, forwarded or claimed; no user agent or client hints; no language,
// referrer or tracing context from the browser). A submission past one sender's share is marked (ClientLimit).
public static class ReporterPrivacy
{
    // What intake needs to answer: content negotiation and the body's shape, its own cookies, the follow-up API's
    // receipt, where a form was sent from (Sec-Fetch-Site, the quick exit's and forms' same-site check), and caching.
    static readonly HashSet<string> Forwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Accept", "Content-Type", "Content-Length", "Cookie", "Receipt", "Sec-Fetch-Site", "If-None-Match", "If-Modified-Since",
    };

    public static void Apply(TransformBuilderContext context)
    {
        if (context.Route.Metadata?.GetValueOrDefault("Privacy") != "reporter") return;
        context.UseDefaultForwarders = false;
        var limit = context.Services.GetRequiredService<SubmissionsPerClient>();
        context.AddRequestTransform(transform =>
        {
            var request = transform.ProxyRequest;
            foreach (var header in request.Headers.Select(h => h.Key).Where(h => !Forwarded.Contains(h)).ToList())
                request.Headers.Remove(header);
            if (request.Content is { } content)
                foreach (var header in content.Headers.Select(h => h.Key).Where(h => !Forwarded.Contains(h)).ToList())
                    content.Headers.Remove(header);
            if (HttpMethods.IsPost(transform.HttpContext.Request.Method) && !limit.TryTake(transform.HttpContext))
                request.Headers.TryAddWithoutValidation(ClientLimit.OverLimitHeader, "1");
            return ValueTask.CompletedTask;
        });
    }
}
