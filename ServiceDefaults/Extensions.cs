using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Harbour.ServiceDefaults.Security;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

// What every Harbour service shares: telemetry, health, service discovery, resilience and error bodies.
public static class Extensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddHeaderPolicy();
        builder.Services.Configure<ExceptionHandlerOptions>(options =>
            (options.StatusCodeSelector, options.SuppressDiagnosticsCallback) = (Harbour.ServiceDefaults.BadInput.StatusFor, Harbour.ServiceDefaults.BadInput.Quiet));
        // One clock for every service; tests replace it to move time.
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    static void ConfigureOpenTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            // Scopes are not exported: ASP.NET Core's opens one on every request naming its path, which every record written
            // during the request would carry, an invitation's link with its secret. A record joins its request through its
            // trace id, and the trace names secret routes by their pattern (below).
            logging.IncludeScopes = false;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("MassTransit", "Npgsql", Harbour.ServiceDefaults.Messaging.QueueHealthCheck.MeterName))
            .WithTracing(tracing => tracing
                .SetSampler(new Harbour.ServiceDefaults.QuietSampler())
                .AddSource(builder.Environment.ApplicationName, "MassTransit", "Npgsql", Harbour.ServiceDefaults.Outbox.OutboxRegistration.ActivitySourceName)
                .AddAspNetCoreInstrumentation(options =>
                {
                    // Health probes are noise; who is calling is nobody's business (reporters' privacy).
                    options.Filter = context => !context.Request.Path.StartsWithSegments("/health")
                        && !context.Request.Path.StartsWithSegments("/alive");
                    options.EnrichWithHttpRequest = (activity, request) =>
                    {
                        // An invitation's or an acknowledge link carries its secret: the trace names the route, not the link.
                        if (SecretRoute(request.Path) is { } route)
                        {
                            activity.SetTag("url.path", route);
                            activity.DisplayName = $"{request.Method} {route}";
                        }
                        activity.SetTag("client.address", null);
                        activity.SetTag("client.port", null);
                        activity.SetTag("user_agent.original", null);
                    };
                })
                .AddHttpClientInstrumentation(options => options.EnrichWithHttpRequestMessage = (activity, request) =>
                {
                    // The gateway forwards those links too: its outgoing span must not keep them either.
                    if (request.RequestUri is { } uri && SecretRoute(uri.AbsolutePath) is { } route)
                    {
                        activity.SetTag("url.full", $"{uri.Scheme}://{uri.Authority}{route}");
                        activity.SetTag("url.path", route);
                    }
                }));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
    }

    // Health endpoints are mapped in every environment: the orchestrator and load balancers need them. Each check's figures
    // (queue depths, the outbox's age) are for operators on the internal network; where the public can ask (the gateway),
    // details: false answers healthy or not and nothing more.
    public static WebApplication MapDefaultEndpoints(this WebApplication app, bool details = true)
    {
        // Probes come every few seconds: what they query (queues, the outbox) is not worth a trace each time.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/health") || context.Request.Path.StartsWithSegments("/alive"),
            probe => probe.Use(async (context, next) =>
            {
                using (Harbour.ServiceDefaults.Quiet.Begin()) await next(context);
            }));
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = details ? WriteHealthAsync : WriteStatusAsync });
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") });
        return app;
    }

    static Task WriteStatusAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new { status = report.Status.ToString() });

    // Every check with its status, description and figures (queue depths, outbox age) for operators.
    static Task WriteHealthAsync(HttpContext context, HealthReport report) => context.Response.WriteAsJsonAsync(new
    {
        status = report.Status.ToString(),
        checks = report.Entries.ToDictionary(e => e.Key, e => new
        {
            status = e.Value.Status.ToString(),
            description = e.Value.Description,
            data = e.Value.Data,
        }),
    });

    // Routes whose path holds a secret (a single-use token): in traces they are named by their pattern only.
    static readonly string[] SecretRoutes = ["/cases/invitation", "/acknowledge"];

    internal static string? SecretRoute(PathString path) =>
        SecretRoutes.FirstOrDefault(r => path.StartsWithSegments(r)) is { } route ? $"{route}/{{token}}" : null;
}
