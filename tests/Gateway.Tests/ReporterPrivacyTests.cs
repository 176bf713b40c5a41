using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Harbour.Gateway.Tests;

// The gateway in front of a real HTTP server that answers with the headers it was sent.
public sealed class GatewayFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    WebApplication echo = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        echo = builder.Build();
        echo.Run(context => context.Response.WriteAsJsonAsync(
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        await echo.StartAsync();
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var address = echo.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:intake:Destinations:intake:Address"] = address,
            ["ReverseProxy:Clusters:cases:Destinations:cases:Address"] = address,
            ["ReverseProxy:Clusters:analytics:Destinations:analytics:Address"] = address,
        }));
        return base.CreateHost(builder);
    }

    public override async ValueTask DisposeAsync()
    {
        await echo.DisposeAsync();
        await base.DisposeAsync();
    }
}

public sealed class ReporterPrivacyTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    // A mistyped address is the public site's to answer (its own page, with the quick exit), as privately as any other.
    [Fact]
    public async Task AnAddressNoRouteNamesGoesToThePublicSiteWithNothingAboutTheReporter()
    {
        var seen = await HeadersSeenBehind("/reprot");
        seen.ShouldNotContainKey("X-Forwarded-For");
        seen.ShouldNotContainKey("X-Real-IP");
    }

    async Task<Dictionary<string, string>> HeadersSeenBehind(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Real-IP", "203.0.113.7");
        request.Headers.Add("Forwarded", "for=203.0.113.7");
        request.Headers.UserAgent.ParseAdd("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)");
        var response = await gateway.CreateClient().SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!;
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/report")]
    [InlineData("/api/reports")]
    [InlineData("/assets/site.css")]
    [InlineData("/guidance/how-to-report")]
    [InlineData("/support")]
    [InlineData("/follow-up")]
    public async Task PublicRoutesForwardNothingAboutTheReportersConnection(string path)
    {
        var headers = await HeadersSeenBehind(path);

        headers.Keys.ShouldNotContain(k => k.StartsWith("X-Forwarded", StringComparison.OrdinalIgnoreCase));
        headers.Keys.ShouldNotContain("X-Real-IP");
        headers.Keys.ShouldNotContain("Forwarded");
        headers.Keys.ShouldNotContain("User-Agent");
        string.Join(" ", headers.Values).ShouldNotContain("203.0.113.7");
    }

    [Fact]
    public async Task StaffRoutesAreForwardedAsUsual()
    {
        var headers = await HeadersSeenBehind("/cases");

        headers.ShouldContainKey("User-Agent");
    }
}
