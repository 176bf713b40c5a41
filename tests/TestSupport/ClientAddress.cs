using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Harbour.Testing;

// The in-memory test server gives a request no client address: a request may name it in X-Test-Client, as the connection
// would give it (a browser's own, or the gateway's when it calls a service). Registered as an IStartupFilter, so it comes
// before everything the service itself sets up.
public sealed class ClientAddressFromTest : IStartupFilter
{
    public const string Header = "X-Test-Client";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextStep) =>
        {
            if (context.Request.Headers.Remove(Header, out var client)) context.Connection.RemoteIpAddress = IPAddress.Parse(client!);
            return nextStep(context);
        });
        next(app);
    };
}
