using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.EndToEnd.Tests;

// Where the services' OpenTelemetry goes in the end-to-end tests: the collector an operator would run (locally the Aspire
// dashboard), here a listener that keeps every export as it arrived, so that a test can search what left the services.
// The services' own OTLP exporters send to it over HTTP (OTLP/HTTP, protobuf: strings in it are plain UTF-8 bytes).
public sealed class TelemetrySink : IAsyncDisposable
{
    readonly ConcurrentQueue<(string Signal, byte[] Body)> received = new();
    WebApplication app = null!;

    public Uri Address { get; private set; } = null!;

    public static async Task<TelemetrySink> StartAsync()
    {
        var sink = new TelemetrySink();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        sink.app = builder.Build();
        // /v1/traces, /v1/logs, /v1/metrics; an empty body is an export response that accepted everything.
        sink.app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            sink.received.Enqueue((signal, body.ToArray()));
            return Results.Bytes([], "application/x-protobuf");
        });
        await sink.app.StartAsync();
        sink.Address = new Uri(sink.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return sink;
    }

    // How many exports of one signal have arrived so far.
    public int Count(string signal) => received.Count(r => r.Signal == signal);

    // Everything received of one signal (traces, logs, metrics) so far, as text.
    public string Everything(string signal) =>
        string.Join('\n', received.Where(r => r.Signal == signal).Select(r => Encoding.UTF8.GetString(r.Body)));

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
