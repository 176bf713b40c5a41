using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Harbour.Gateway;

// Tells the service behind which scheme the browser used, in X-Forwarded-Proto ("https" or "http"), on every route, the
// reporter's included. TLS ends in front of the gateway (at the institution's proxy), so the gateway's own request is plain
// HTTP: the scheme is the public address's (Harbour:PublicUrl), as for HSTS. A browser's own X-Forwarded-Proto never goes on.
// The services believe the header from the gateway's network only (ServiceDefaults/Security/HeaderPolicy.cs) and then mark
// their form-token cookies Secure (OWASP ASVS 5.0 V3.3.1).
public static class PublicScheme
{
    public static void Apply(TransformBuilderContext context)
    {
        var tls = context.Services.GetRequiredService<IConfiguration>()["Harbour:PublicUrl"]?.StartsWith("https:", StringComparison.OrdinalIgnoreCase) == true;
        if (context.UseDefaultForwarders != false)
        {
            // The default forwarders would come after this transform and set the gateway's own scheme again.
            context.UseDefaultForwarders = false;
            context.AddXForwarded();
        }
        context.AddRequestTransform(transform =>
        {
            transform.ProxyRequest.Headers.Remove("X-Forwarded-Proto");
            transform.ProxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Proto", tls ? "https" : transform.HttpContext.Request.Scheme);
            return ValueTask.CompletedTask;
        });
    }
}
