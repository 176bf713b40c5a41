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
using Harbour.Testing;

namespace Harbour.Gateway.Tests;

// The gateway in front of a real HTTP server that answers with the headers it was sent.
// Each request may name the client's address in X-Test-Client, as the connection would give it (the test server has none).
public class GatewayFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    WebApplication echo = null!;
    protected readonly Dictionary<string, string?> Settings = new();

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        echo = builder.Build();
        echo.Run(context => context.Response.WriteAsJsonAsync(
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        await echo.StartAsync();
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var address = echo.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var settings = new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:intake:Destinations:intake:Address"] = address,
            ["ReverseProxy:Clusters:cases:Destinations:cases:Address"] = address,
            ["ReverseProxy:Clusters:analytics:Destinations:analytics:Address"] = address,
        };
        foreach (var (key, value) in Settings) settings[key] = value;
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(settings));
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ClientAddressFromTest>());
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

    // Its own, never a service's behind it (the catch-all route would send /health to the public site), and only its status.
    [Theory]
    [InlineData("/health")]
    [InlineData("/health/")]
    [InlineData("/HEALTH")]
    public async Task HealthTellsThePublicHealthyOrNotAndNothingMore(string path)
    {
        var answer = await gateway.CreateClient().GetFromJsonAsync<Dictionary<string, System.Text.Json.JsonElement>>(path);
        answer!.Keys.ShouldBe(["status"]);
        answer["status"].GetString().ShouldBe("Healthy");
        (await gateway.CreateClient().GetStringAsync("/alive")).ShouldBe("Healthy", "the gateway's own liveness, not the echo behind it");
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

        // The scheme alone, the same for every reporter (PublicScheme): nothing of the connection itself.
        headers.Keys.Where(k => k.StartsWith("X-Forwarded", StringComparison.OrdinalIgnoreCase)).ShouldBe(["X-Forwarded-Proto"]);
        headers["X-Forwarded-Proto"].ShouldBe("http");
        headers.Keys.ShouldNotContain("X-Real-IP");
        headers.Keys.ShouldNotContain("Forwarded");
        headers.Keys.ShouldNotContain("User-Agent");
        string.Join(" ", headers.Values).ShouldNotContain("203.0.113.7");
    }

    [Fact]
    public async Task OnlyWhatThePublicSiteNeedsIsForwardedNothingThatDescribesTheDevice()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/report");
        foreach (var (name, value) in new[]
        {
            ("Sec-CH-UA", "\"Chromium\";v=\"130\""), ("Sec-CH-UA-Platform", "\"Android\""), ("Sec-CH-UA-Mobile", "?1"),
            ("Referer", "https://search.example/?q=report+harassment"), ("Accept-Language", "ar-EG,ar;q=0.9"), ("DNT", "1"),
            ("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), ("X-Requested-With", "com.example.app"),
            ("Harbour-Client-Over-Limit", "1"), ("Origin", "https://harbour.example"),
            ("Accept", "text/html"), ("Cookie", "harbour_form=abc"), ("Sec-Fetch-Site", "same-origin"), ("Receipt", "R-123"),
        })
            request.Headers.TryAddWithoutValidation(name, value);

        var seen = (await (await gateway.CreateClient().SendAsync(request)).Content.ReadFromJsonAsync<Dictionary<string, string>>())!;

        foreach (var dropped in new[] { "Sec-CH-UA", "Sec-CH-UA-Platform", "Sec-CH-UA-Mobile", "Referer", "Accept-Language", "DNT", "X-Requested-With",
                     "Harbour-Client-Over-Limit", "Origin" })
            seen.ShouldNotContainKey(dropped);
        seen.ShouldContainKey("traceparent", "the gateway's own trace goes on to the service");
        seen["traceparent"].ShouldNotContain("4bf92f3577b34da6a3ce929d0e0e4736");
        seen["Accept"].ShouldBe("text/html");
        seen["Cookie"].ShouldBe("harbour_form=abc");
        seen["Sec-Fetch-Site"].ShouldBe("same-origin");
        seen["Receipt"].ShouldBe("R-123");
    }

    [Fact]
    public async Task StaffRoutesAreForwardedAsUsual()
    {
        var headers = await HeadersSeenBehind("/cases");

        headers.ShouldContainKey("User-Agent");
    }
}

// Harbour served over TLS, as an institution runs it.
public sealed class TlsGatewayFactory : GatewayFactory
{
    public TlsGatewayFactory() => Settings["Harbour:PublicUrl"] = "https://report.harbour.example";
}

public sealed class StrictTransportTests(TlsGatewayFactory tls, GatewayFactory plain) : IClassFixture<TlsGatewayFactory>, IClassFixture<GatewayFactory>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/cases")]
    [InlineData("/health")]
    public async Task ServedOverTlsEveryAnswerKeepsTheBrowserOnTls(string path)
    {
        (await tls.CreateClient().GetAsync(path)).Headers.GetValues("Strict-Transport-Security").ShouldBe(["max-age=31536000"]);
        (await plain.CreateClient().GetAsync(path)).Headers.Contains("Strict-Transport-Security").ShouldBeFalse("over plain HTTP it would mean nothing");
    }

    // TLS ends in front of the gateway: the services behind learn the browser's scheme from the gateway alone, on the reporter's
    // routes and the staff's, and a browser cannot claim one.
    [Theory]
    [InlineData("/report")]
    [InlineData("/cases/sign-in")]
    public async Task TheServicesBehindAreToldTheSchemeTheBrowserUsedAndOnlyByTheGateway(string path)
    {
        async Task<string> SchemeSeenAsync(GatewayFactory gateway)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("X-Forwarded-Proto", "https");
            var seen = (await (await gateway.CreateClient().SendAsync(request)).Content.ReadFromJsonAsync<Dictionary<string, string>>())!;
            return seen["X-Forwarded-Proto"];
        }
        (await SchemeSeenAsync(tls)).ShouldBe("https");
        (await SchemeSeenAsync(plain)).ShouldBe("http", "a browser's own claim does not go on");
    }
}

public sealed class SmallShareGatewayFactory : GatewayFactory
{
    public SmallShareGatewayFactory() => Settings["Gateway:SubmissionsPerClientPerMinute"] = "3";
}

public sealed class SubmissionsPerClientTests(SmallShareGatewayFactory gateway) : IClassFixture<SmallShareGatewayFactory>
{
    async Task<bool> MarkedAsync(string client, HttpMethod? method = null, string path = "/report")
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Post, path) { Content = new StringContent("step=check") };
        request.Headers.Add("X-Test-Client", client);
        var seen = (await (await gateway.CreateClient().SendAsync(request)).Content.ReadFromJsonAsync<Dictionary<string, string>>())!;
        seen.Keys.ShouldNotContain("X-Test-Client");
        return seen.ContainsKey("Harbour-Client-Over-Limit");
    }

    [Fact]
    public async Task ASenderPastTheirShareIsMarkedWhileOthersAreNot()
    {
        var marks = new List<bool>();
        for (var i = 0; i < 5; i++) marks.Add(await MarkedAsync("198.51.100.20"));

        marks.ShouldBe([false, false, false, true, true]);
        (await MarkedAsync("198.51.100.21")).ShouldBeFalse("another sender has their own share");
        (await MarkedAsync("198.51.100.20", HttpMethod.Get)).ShouldBeFalse("reading pages is never limited");
        (await MarkedAsync("198.51.100.20", path: "/api/reports")).ShouldBeTrue("the API and the form are one share");
        (await MarkedAsync("198.51.100.20", path: "/cases/sign-in")).ShouldBeFalse("staff routes are not the reporter's door");
    }

    [Fact]
    public async Task OneDeviceCannotEscapeItsShareByChangingItsIPv6Address()
    {
        for (var i = 0; i < 3; i++) (await MarkedAsync($"2001:db8:1:2::{i + 1:x}")).ShouldBeFalse();

        (await MarkedAsync("2001:db8:1:2:ffff::9")).ShouldBeTrue("the same /64 network");
        (await MarkedAsync("2001:db8:1:3::1")).ShouldBeFalse("another network");
    }
}

// The public site is down: the gateway answers in its words, never with an empty 502.
public sealed class UnreachableIntakeFactory : GatewayFactory
{
    public UnreachableIntakeFactory() => Settings["ReverseProxy:Clusters:intake:Destinations:intake:Address"] = "http://127.0.0.1:9";
}

public sealed class UnavailableTests(UnreachableIntakeFactory gateway) : IClassFixture<UnreachableIntakeFactory>
{
    [Theory]
    [InlineData("GET", "/report")]
    [InlineData("POST", "/follow-up")]
    [InlineData("GET", "/")]
    public async Task AReporterGetsAPageWithTheWayOutWhenThePublicSiteIsDown(string method, string path)
    {
        var response = await gateway.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(60));
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        response.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldStartWith("default-src 'none'");
        var page = await response.Content.ReadAsStringAsync();
        page.ShouldContain("class=\"quick-exit\"");
        page.ShouldContain("we could not confirm that what you sent arrived");
    }

    [Fact]
    public async Task AnAppGetsAProblemItCanRetry()
    {
        var response = await gateway.CreateClient().PostAsync("/api/reports", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync()).ShouldContain("a report or message sent twice is kept once");
    }
}

// The gateway on a real Kestrel server, whose body limits apply as in production (the in-memory test server has none).
public sealed class KestrelGatewayFactory : GatewayFactory
{
    public KestrelGatewayFactory() => UseKestrel(0);
}

public sealed class BodyLimitTests(KestrelGatewayFactory gateway) : IClassFixture<KestrelGatewayFactory>
{
    // The report and follow-up pages name a file far too large beside the field, with the text kept: the gateway must
    // let such a post through to them rather than stop it at the server's usual 30 MB.
    [Theory]
    [InlineData("/report")]
    [InlineData("/follow-up?handler=Message")]
    public async Task APostWithAFileFarTooLargeReachesThePage(string path)
    {
        using var body = new ByteArrayContent(new byte[31 * 1024 * 1024]);
        body.Headers.ContentType = new("application/octet-stream");

        var response = await gateway.CreateClient().PostAsync(path, body);

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!["Content-Length"].ShouldBe((31 * 1024 * 1024).ToString());
    }

    [Fact]
    public async Task APostLargerThanTheGatewayTakesIsAPageWithTheWayOut()
    {
        using var body = new ByteArrayContent(new byte[65 * 1024 * 1024]);
        body.Headers.ContentType = new("application/octet-stream");
        // Asking first, as browsers do not but some apps do, so that the answer is read rather than lost in a closed upload.
        var request = new HttpRequestMessage(HttpMethod.Post, "/report") { Content = body, Headers = { ExpectContinue = true } };

        var response = await gateway.CreateClient().SendAsync(request);

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.RequestEntityTooLarge);
        var page = await response.Content.ReadAsStringAsync();
        page.ShouldContain("class=\"quick-exit\"");
        page.ShouldContain("<h1>What you sent was too large</h1>");
    }
}
