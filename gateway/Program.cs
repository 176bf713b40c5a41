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
    .AddServiceDiscoveryDestinationResolver();

var app = builder.Build();

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
