using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Harbour.Gateway;

// Routes marked "Privacy": "reporter" carry nothing about the reporter's connection to the service
// behind: no X-Forwarded-For (YARP adds it by default), no address a client or proxy claimed, no user agent.
public static class ReporterPrivacy
{
    static readonly string[] Identifying =
        ["X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Prefix", "Forwarded", "X-Real-IP",
         "X-Client-IP", "True-Client-IP", "CF-Connecting-IP", "Via", "User-Agent"];

    public static void Apply(TransformBuilderContext context)
    {
        if (context.Route.Metadata?.GetValueOrDefault("Privacy") != "reporter") return;
        context.UseDefaultForwarders = false;
        foreach (var header in Identifying) context.AddRequestHeaderRemove(header);
    }
}
