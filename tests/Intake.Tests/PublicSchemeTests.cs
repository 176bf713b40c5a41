using System.Net;
using System.Net.Http.Json;
using Harbour.Intake.Safety;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Intake.Tests;

// Served over TLS, TLS ends in front of the gateway, which tells the service the browser's scheme in X-Forwarded-Proto
// (gateway/PublicScheme.cs). The service believes it from the gateway's network only (loopback here): then its answers carry
// HSTS and its form-token cookie is Secure, and the form still goes through. From anywhere else the header changes nothing.
public sealed class PublicSchemeTests(IntakeFactory intake) : IClassFixture<IntakeFactory>
{
    [Theory]
    [InlineData("127.0.0.1", "https", true)]
    [InlineData("::1", "https", true)]
    [InlineData("127.0.0.1", null, false)]
    [InlineData("203.0.113.9", "https", false)]
    public async Task TheFormTokenCookieIsSecureWhenTheGatewaySaysTheBrowserUsedTls(string from, string? scheme, bool tls)
    {
        var client = intake.WithWebHostBuilder(host => host.ConfigureServices(services => services.AddSingleton<IStartupFilter, ClientAddressFromTest>()))
            .CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        HttpRequestMessage Request(HttpMethod method, string? cookie = null, HttpContent? content = null)
        {
            var request = new HttpRequestMessage(method, "/report") { Content = content };
            // HSTS is never sent to localhost.
            request.Headers.Host = "report.harbour.example";
            request.Headers.Add(ClientAddressFromTest.Header, from);
            if (scheme is not null) request.Headers.Add("X-Forwarded-Proto", scheme);
            if (cookie is not null) request.Headers.Add("Cookie", cookie);
            return request;
        }

        var page = await client.SendAsync(Request(HttpMethod.Get));
        var cookie = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(PublicForms.Cookie + "="));
        cookie.Contains("; secure", StringComparison.OrdinalIgnoreCase).ShouldBe(tls, cookie);
        page.Headers.Contains("Strict-Transport-Security").ShouldBe(tls);

        var form = HtmlForm.Read(await page.Content.ReadAsStringAsync());
        (form["kind"], form["categories"], form["description"], form["location"], form["occurredWhen"], form["reporterRole"], form["step"]) =
            ("anonymous", "race", "Shouted at near the bus stop.", "city-campus/library", "today", "student", "check");
        var check = await client.SendAsync(Request(HttpMethod.Post, cookie.Split(';')[0], form.ToContent()));
        check.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await check.Content.ReadAsStringAsync()).ShouldContain("<h1>Check your report</h1>", customMessage: "the form token is accepted");
    }

    // The reporter's follow-up cookie: never readable by script or sent by another site, scoped to the follow-up pages, and
    // over TLS Secure.
    [Theory]
    [InlineData("https://localhost", true)]
    [InlineData("http://localhost", false)]
    public async Task TheFollowUpCookieIsHttpOnlyStrictScopedAndOverTlsSecure(string address, bool tls)
    {
        var client = intake.CreateClient(new() { BaseAddress = new Uri(address), AllowAutoRedirect = false, HandleCookies = true });
        var made = await (await client.PostAsJsonAsync("/api/reports", ValidReports.Anonymous())).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var open = HtmlForm.Read(await client.GetStringAsync("/follow-up"));
        (open["reference"], open["receipt"]) = (made.GetProperty("reference").GetString()!, made.GetProperty("receipt").GetString()!);

        var opened = await client.PostAsync("/follow-up?handler=Open", open.ToContent());

        opened.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var cookie = opened.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(FollowUp.FollowUpSessions.CookieName + "=")).ToLowerInvariant();
        cookie.ShouldContain("; httponly");
        cookie.ShouldContain("; samesite=strict");
        cookie.ShouldContain("; path=/follow-up");
        cookie.Contains("; secure").ShouldBe(tls);
        (await client.GetStringAsync("/follow-up")).ShouldContain(made.GetProperty("reference").GetString()!);
    }
}
