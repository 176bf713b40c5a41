using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Cases.Tests;

// Every account signs in with a second factor: an authenticator app set up at the first sign-in, or a recovery code.
public sealed class SecondFactorTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    [Fact]
    public async Task APassphraseAloneOpensNothing()
    {
        var browser = cases.Browser();
        var page = await browser.GetStringAsync("/cases/sign-in");
        var response = await browser.PostAsync("/cases/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = cases.AdminEmail, ["password"] = CasesFactory.AdminPassword, ["__RequestVerificationToken"] = StaffSignIn.AntiforgeryTokenIn(page),
        }));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldStartWith("/cases/sign-in/");
        (await browser.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        // The code page needs the passphrase first, on the same browser.
        (await cases.Browser().GetAsync("/cases/sign-in/code")).Headers.Location!.ToString().ShouldStartWith("/cases/sign-in?");
    }

    [Fact]
    public async Task ARecoveryCodeSignsInOnceAndAWrongCodeIsRefusedAndAudited()
    {
        var first = await StaffSignIn.SignInAsync(cases.Browser(), cases.AdminEmail, CasesFactory.AdminPassword);
        first.SignedIn().ShouldBeTrue();
        // The first sign-in of this class's admin enrols the app: the recovery codes are shown once, on the page that ends it.
        var enrolled = await first.Content.ReadAsStringAsync();
        var codes = Regex.Matches(enrolled, "<li><code>([^<]+)</code></li>").Select(m => m.Groups[1].Value).ToList();
        codes.Count.ShouldBe(10);

        var wrong = await SecondStepAsync(cases.Browser(), code: "000000");
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await wrong.Content.ReadAsStringAsync()).ShouldContain("That code is not right.");
        var recovered = cases.Browser();
        var withRecovery = await SecondStepAsync(recovered, recoveryCode: codes[0]);
        withRecovery.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await recovered.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await SecondStepAsync(cases.Browser(), recoveryCode: codes[0])).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "a recovery code works once");

        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        (await db.AuditLog.CountAsync(a => a.Action == "staff.second-factor-refused" && a.Actor.StartsWith("Administrator"))).ShouldBe(2);
        (await db.AuditLog.CountAsync(a => a.Action == "staff.recovery-code-used" && a.Detail == "9 left")).ShouldBe(1);
    }

    [Fact]
    public async Task ACodeWorksOnce()
    {
        var (_, id) = await cases.SignedInStaffAsync(Harbour.ServiceDefaults.Security.StaffRoles.CaseManager);
        string email;
        await using (var scope = cases.Services.CreateAsyncScope())
            email = (await scope.ServiceProvider.GetRequiredService<CasesDbContext>().Users.SingleAsync(u => u.Id == id)).Email!;
        var code = StaffSignIn.CodeFor(email);

        (await SecondStepAsync(cases.Browser(), code: code, email: email)).SignedIn().ShouldBeTrue();
        var replayed = await SecondStepAsync(cases.Browser(), code: code, email: email);

        replayed.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "a code someone watched being typed cannot be typed again");
        (await SecondStepAsync(cases.Browser(), code: StaffSignIn.CodeFor(email), email: email)).SignedIn().ShouldBeTrue("the next code works");
    }

    // The passphrase, then the code page with a code or a recovery code.
    async Task<HttpResponseMessage> SecondStepAsync(HttpClient browser, string code = "", string recoveryCode = "", string? email = null)
    {
        email ??= cases.AdminEmail;
        var page = await browser.GetStringAsync("/cases/sign-in");
        var passphrase = await browser.PostAsync("/cases/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["password"] = CasesFactory.AdminPassword, ["__RequestVerificationToken"] = StaffSignIn.AntiforgeryTokenIn(page),
        }));
        passphrase.Headers.Location!.ToString().ShouldStartWith("/cases/sign-in/code");
        var codePage = await browser.GetStringAsync(passphrase.Headers.Location!.ToString());
        return await browser.PostAsync("/cases/sign-in/code", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["code"] = code, ["recoveryCode"] = recoveryCode, ["__RequestVerificationToken"] = StaffSignIn.AntiforgeryTokenIn(codePage),
        }));
    }
}
