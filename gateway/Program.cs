using Harbour.Gateway;
using Harbour.Gateway.ReporterDoor;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddSingleton<SubmissionsPerClient>();
builder.Services.AddSingleton<System.Diagnostics.DistributedContextPropagator, FreshTraces>();
// OpenTelemetry's own propagator would read the client's trace context again; W3C trace context alone leaves it to the above.
OpenTelemetry.Sdk.SetDefaultTextMapPropagator(new OpenTelemetry.Context.Propagation.TraceContextPropagator());
builder.Services.AddReverseProxy()
    .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
    .AddTransforms(ReporterPrivacy.Apply)
    .AddTransforms(PublicScheme.Apply)
    .AddServiceDiscoveryDestinationResolver();

var app = builder.Build();

// Served over TLS (Harbour:PublicUrl is https), every answer tells the browser to come back over TLS only, for a year
// (RFC 6797; OWASP ASVS 5.0 V12.2.1): set here, at the one public door, because the services behind it are reached over
// plain HTTP and cannot know the scheme the browser used. A browser ignores the header on an answer over plain HTTP.
if (builder.Configuration["Harbour:PublicUrl"]?.StartsWith("https:", StringComparison.OrdinalIgnoreCase) == true)
    app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.StrictTransportSecurity = "max-age=31536000";
            return Task.CompletedTask;
        });
        return next(context);
    });

// The public reaches /health here, never a service's (the gateway's own endpoints come before the catch-all route).
app.MapDefaultEndpoints(details: false);
app.MapReverseProxy(proxy =>
{
    proxy.UseUnavailablePage();
    proxy.UseSessionAffinity();
    proxy.UseLoadBalancing();
    proxy.UsePassiveHealthChecks();
});

app.Run();

public partial class Program;
