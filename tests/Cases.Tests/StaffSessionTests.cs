using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbour.ServiceDefaults.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Cases.Tests;

// Sessions end on the server: a copied cookie is worth nothing after sign-out, and an unused session ends by itself.
public sealed class ShortSessionFactory : CasesFactory
{
    public ShortSessionFactory()
    {
        Settings["Staff:IdleTimeout"] = "00:00:02";
        Settings["Staff:IdleSweepInterval"] = "00:00:00.500";
    }
}

public sealed class StaffSessionTests(ShortSessionFactory cases) : IClassFixture<ShortSessionFactory>
{
    [Fact]
    public async Task SigningOutEndsTheSessionForEveryCopyOfTheCookie()
    {
        var browser = cases.Browser();
        var signIn = await StaffSignIn.SignInAsync(browser, cases.AdminEmail, CasesFactory.AdminPassword);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("harbour_staff=")).Split(';')[0];
        var copy = cases.CreateClient();
        copy.DefaultRequestHeaders.Add("Cookie", cookie);
        (await copy.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var crossSite = new HttpRequestMessage(HttpMethod.Post, "/cases/sign-out") { Headers = { { "Sec-Fetch-Site", "cross-site" } } };
        (await browser.SendAsync(crossSite)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "another site cannot sign anyone out");
        (await copy.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var signOut = await browser.PostAsync("/cases/sign-out", null);

        signOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await copy.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the copied cookie no longer reads cases");
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        (await db.AuditLog.CountAsync(a => a.Action == "staff.signed-out")).ShouldBeGreaterThanOrEqualTo(1);
        // The other services that accept staff tokens are told, and refuse it too.
        (await db.Outbox.CountAsync(m => m.Type == typeof(Harbour.Contracts.StaffSessionEnded).FullName)).ShouldBeGreaterThanOrEqualTo(1);
    }

    // The other services check tokens with what cases publishes: a public key that checks cases' tokens, and nothing private.
    [Fact]
    public async Task CasesPublishesThePublicHalfOfItsTokenKeyAndNothingElse()
    {
        var visitor = cases.CreateClient();
        var discovery = await visitor.GetFromJsonAsync<JsonElement>("/cases/.well-known/openid-configuration");
        discovery.GetProperty("issuer").GetString().ShouldBe("harbour");
        var keySet = await visitor.GetStringAsync(new Uri(discovery.GetProperty("jwks_uri").GetString()!).PathAndQuery);

        var key = new JsonWebKeySet(keySet).Keys.ShouldHaveSingleItem();
        key.HasPrivateKey.ShouldBeFalse();
        keySet.ShouldNotContain("\"d\"");
        var issuer = cases.Services.GetRequiredService<StaffTokenIssuer>();
        var token = issuer.Create("someone", "Someone", [StaffRoles.CaseManager], Guid.NewGuid(), TimeProvider.System);
        var checkedToken = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = "harbour", ValidAudience = "harbour", IssuerSigningKey = key,
        });
        checkedToken.IsValid.ShouldBeTrue();
    }

    [Fact]
    public async Task ASessionUnusedForTheIdleTimeoutEnds()
    {
        var browser = cases.Browser();
        await StaffSignIn.SignInAsync(browser, cases.AdminEmail, CasesFactory.AdminPassword);
        (await browser.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await Task.Delay(TimeSpan.FromSeconds(3));

        (await browser.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await browser.GetAsync("/cases")).Headers.Location!.ToString().ShouldStartWith("/cases/sign-in");
        // Ended on the server and announced, so that analytics refuses the token too.
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var idle = await Eventually.GetAsync(() => db.StaffSessions.AsNoTracking().Where(s => s.EndReason == "idle").Select(s => s.Id).ToListAsync(),
            ids => ids.Count > 0, "the sweep to end the idle session");
        var announced = await db.Outbox.AsNoTracking().Where(m => m.Type == typeof(Harbour.Contracts.StaffSessionEnded).FullName).ToListAsync();
        announced.Count(m => idle.Any(id => m.Payload.Contains(id.ToString()))).ShouldBe(idle.Count);
    }

    [Fact]
    public async Task ASessionInUseStaysOpen()
    {
        var browser = cases.Browser();
        await StaffSignIn.SignInAsync(browser, cases.AdminEmail, CasesFactory.AdminPassword);

        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            (await browser.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK, "each use keeps it open");
        }
    }
}
