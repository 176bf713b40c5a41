using System.Net;
using Harbour.ServiceDefaults.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Cases.Tests;

// The staff session cookie (OWASP ASVS 5.0 V3.3): never readable by script, never sent by another site; over TLS also Secure,
// for this host only and the whole site (__Host-). Looking at the queue is itself on the audit trail.
public sealed class StaffSessionCookieTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    [Theory]
    [InlineData("https://localhost", "__Host-harbour_staff", true)]
    [InlineData("http://localhost", "harbour_staff", false)]
    public async Task TheSessionCookieIsHttpOnlyAndStrictAndOverTlsSecureForThisHostOnly(string address, string name, bool tls)
    {
        var browser = cases.CreateClient(new() { BaseAddress = new Uri(address), AllowAutoRedirect = false, HandleCookies = true });
        var signedIn = await StaffSignIn.SignInAsync(browser, cases.AdminEmail, CasesFactory.AdminPassword);
        signedIn.SignedIn().ShouldBeTrue();

        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(name + "=")).ToLowerInvariant();
        cookie.ShouldContain("; httponly");
        cookie.ShouldContain("; samesite=strict");
        cookie.ShouldContain("; path=/");
        cookie.ShouldNotContain("domain=");
        cookie.Contains("; secure").ShouldBe(tls);
        (await browser.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    // A staff token is good for 8 hours from sign-in whatever its session does (OWASP ASVS 5.0 V7.3.2): the cookie lasts as
    // long, and a token for a session still in use, made 8 hours and 2 minutes ago, is refused (one made 7 hours 58 minutes
    // ago is not: only the age differs).
    [Fact]
    public async Task AStaffTokenEndsEightHoursAfterSignInEvenWhileItsSessionIsInUse()
    {
        var browser = cases.Browser();
        var signedIn = await StaffSignIn.SignInAsync(browser, cases.AdminEmail, CasesFactory.AdminPassword);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("harbour_staff="));
        cookie.ToLowerInvariant().ShouldContain("; max-age=28800");
        var token = new JsonWebToken(cookie.Split(';')[0]["harbour_staff=".Length..]);
        (token.ValidTo - token.IssuedAt).ShouldBe(TimeSpan.FromHours(8));

        var issuer = cases.Services.GetRequiredService<StaffTokenIssuer>();
        var roles = token.Claims.Where(c => c.Type == "role").Select(c => c.Value).ToList();
        var session = Guid.Parse(token.GetClaim("sid").Value);
        async Task<HttpStatusCode> ReadWithTokenMadeAsync(TimeSpan ago)
        {
            var copy = cases.CreateClient();
            copy.DefaultRequestHeaders.Add("Cookie", "harbour_staff=" + issuer.Create(token.Subject, "Admin", roles, session, new LaterClock(-ago)));
            return (await copy.GetAsync("/api/cases")).StatusCode;
        }
        (await ReadWithTokenMadeAsync(TimeSpan.FromHours(8) - TimeSpan.FromMinutes(2))).ShouldBe(HttpStatusCode.OK);
        (await ReadWithTokenMadeAsync(TimeSpan.FromHours(8) + TimeSpan.FromMinutes(2))).ShouldBe(HttpStatusCode.Unauthorized);
        (await browser.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK, "the session itself is still open");
    }

    [Fact]
    public async Task LookingAtTheQueueIsAudited()
    {
        var admin = await cases.SignedInAdminAsync();
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var before = await db.AuditLog.CountAsync(a => a.Action == "cases.listed" && a.Actor.StartsWith("Administrator"));

        (await admin.GetAsync("/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await db.AuditLog.CountAsync(a => a.Action == "cases.listed" && a.Actor.StartsWith("Administrator"))).ShouldBe(before + 2);
    }

    // Another site can send a form, never JSON (that needs its own permission, which Harbour gives nobody): a staff API call
    // made as a form, even carrying the staff cookie, changes nothing.
    [Fact]
    public async Task TheStaffApiTakesNoFormsSoAnotherSitesFormChangesNothing()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = await cases.OpenCaseAsync(admin, cases.Report("Pushed on the stairs by the library."));

        var forged = await admin.PostAsync($"/api/cases/{report.Reference}/notes",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["text"] = "Written by another site" }));

        forged.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await admin.GetStringAsync($"/api/cases/{report.Reference}")).ShouldNotContain("Written by another site");
    }

    // A staff page's form carries its token (antiforgery): the same form without it, as another site would send it with the
    // cookie, is refused and keeps nothing.
    [Fact]
    public async Task AStaffFormWithoutItsTokenIsRefusedAndKeepsNothing()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = await cases.OpenCaseAsync(admin, cases.Report("Followed across the car park after the late lecture."));
        var reply = HtmlForm.Read(await admin.GetStringAsync($"/cases/{report.Reference}"), "form:has(textarea[name=body])");
        reply.Names.ShouldContain("__RequestVerificationToken");
        var forged = new FormUrlEncodedContent(reply.Names.Where(n => n != "__RequestVerificationToken")
            .Select(n => new KeyValuePair<string, string>(n, n == "body" ? "Sent by another site" : reply[n] ?? "")));

        var refused = await admin.PostAsync($"/cases/{report.Reference}?handler=Reply", forged);

        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await admin.GetStringAsync($"/api/cases/{report.Reference}")).ShouldNotContain("Sent by another site");
    }
}
