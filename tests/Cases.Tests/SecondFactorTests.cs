using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
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

    // Someone who learnt the old passphrase and is waiting at the code page cannot go on once the owner has changed it.
    [Fact]
    public async Task ABrowserHalfSignedInMustStartAgainOnceThePassphraseChanged()
    {
        var (owner, id) = await cases.SignedInStaffAsync("Analyst");
        await using var scope = cases.Services.CreateAsyncScope();
        var email = (await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Harbour.Cases.Staff.StaffUser>>().FindByIdAsync(id))!.Email!;
        var other = cases.Browser();
        var page = await other.GetStringAsync("/cases/sign-in");
        (await other.PostAsync("/cases/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["password"] = CasesFactory.AdminPassword, ["__RequestVerificationToken"] = StaffSignIn.AntiforgeryTokenIn(page),
        }))).Headers.Location!.ToString().ShouldStartWith("/cases/sign-in/code");
        var codePage = await other.GetAsync("/cases/sign-in/code");
        codePage.StatusCode.ShouldBe(HttpStatusCode.OK, "half signed in");

        var form = HtmlForm.Read(await owner.GetStringAsync("/cases/passphrase"), "main form");
        (form["current"], form["passphrase"], form["again"]) = (CasesFactory.AdminPassword, "harbour lighthouse quietly blue", "harbour lighthouse quietly blue");
        (await owner.PostAsync("/cases/passphrase", form.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await other.GetAsync("/cases/sign-in/code")).Headers.Location!.ToString().ShouldStartWith("/cases/sign-in?");
        var tried = await other.PostAsync("/cases/sign-in/code", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["code"] = StaffSignIn.CodeFor(email), ["__RequestVerificationToken"] = StaffSignIn.AntiforgeryTokenIn(await codePage.Content.ReadAsStringAsync()),
        }));
        tried.Headers.Location!.ToString().ShouldStartWith("/cases/sign-in?", customMessage: "sent back to the passphrase");
        (await other.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "a right code does not open the account either");
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

        // At rest: the authenticator key sealed, the recovery codes as hashes only.
        var admin = await db.Users.SingleAsync(u => u.Email == cases.AdminEmail);
        var stored = await db.UserTokens.Where(t => t.UserId == admin.Id).ToDictionaryAsync(t => t.Name, t => t.Value!);
        stored["AuthenticatorKey"].ShouldStartWith("v2.");
        stored["RecoveryCodes"].Split(';').Length.ShouldBe(9);
        codes.ShouldAllBe(code => !stored["RecoveryCodes"].Contains(code));
    }

    // Accounts enrolled before the secrets were protected, and keys sealed under a report key since replaced, are protected at
    // the next start; the app and the recovery codes keep working.
    [Fact]
    public async Task SecondFactorsKeptInClearOrUnderAnOldKeyAreProtectedAtStartAndStillWork()
    {
        var (_, id) = await cases.SignedInStaffAsync(Harbour.ServiceDefaults.Security.StaffRoles.CaseManager);
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var sealer = scope.ServiceProvider.GetRequiredService<Harbour.ServiceDefaults.Security.Sealer>();
        var hasher = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.IPasswordHasher<Staff.StaffUser>>();
        var email = (await db.Users.SingleAsync(u => u.Id == id)).Email!;
        var log = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        Task<Dictionary<string, string>> StoredAsync() =>
            db.UserTokens.AsNoTracking().Where(t => t.UserId == id).ToDictionaryAsync(t => t.Name, t => t.Value!);
        var key = sealer.Open<string>((await StoredAsync())["AuthenticatorKey"]);
        // As an earlier build kept them.
        await db.UserTokens.Where(t => t.UserId == id && t.Name == "AuthenticatorKey").ExecuteUpdateAsync(t => t.SetProperty(x => x.Value, key));
        await db.UserTokens.Where(t => t.UserId == id && t.Name == "RecoveryCodes").ExecuteUpdateAsync(t => t.SetProperty(x => x.Value, "ABCDE-12345;FGHIJ-67890;KLMNO-13579"));
        // Read as they are meanwhile (a replica of the earlier build may have written them during a rolling upgrade).
        (await SecondStepAsync(cases.Browser(), code: StaffSignIn.CodeFor(email), email: email)).SignedIn().ShouldBeTrue("a key in clear still works");
        (await SecondStepAsync(cases.Browser(), recoveryCode: "KLMNO-13579", email: email)).StatusCode.ShouldBe(HttpStatusCode.Redirect, "a code in clear still works");

        (await Staff.StaffUserStore.ProtectSecondFactorsAsync(db, sealer, hasher, log)).ShouldBe(1, "this account's key and codes");
        (await Staff.StaffUserStore.ProtectSecondFactorsAsync(db, sealer, hasher, log)).ShouldBe(0, "once protected, left as they are");
        var stored = await StoredAsync();
        stored["AuthenticatorKey"].ShouldStartWith($"v2.{sealer.KeyId}.");
        stored["RecoveryCodes"].ShouldNotContain("ABCDE-12345");
        stored["RecoveryCodes"].Split(';').Length.ShouldBe(2);
        (await SecondStepAsync(cases.Browser(), code: StaffSignIn.CodeFor(email), email: email)).SignedIn().ShouldBeTrue("the app still works");
        (await SecondStepAsync(cases.Browser(), recoveryCode: "FGHIJ-67890", email: email)).StatusCode.ShouldBe(HttpStatusCode.Redirect, "a recovery code still works");

        // A rotation: the next report key seals, the old one only opens; the key is sealed again with the next one.
        const string NextKey = "the-next-report-key-0123456789abcdefghijklmnopqrstuvwxyz";
        var next = SealerWith(NextKey, CasesFactory.ReportKey);
        try
        {
            (await Staff.StaffUserStore.ProtectSecondFactorsAsync(db, next, hasher, log)).ShouldBeGreaterThanOrEqualTo(1);
            (await StoredAsync())["AuthenticatorKey"].ShouldStartWith($"v2.{next.KeyId}.");
            next.Open<string>((await StoredAsync())["AuthenticatorKey"]).ShouldBe(key);
            // The service does not hold the next key yet: the code is refused, never a server error.
            (await SecondStepAsync(cases.Browser(), code: StaffSignIn.CodeFor(email), email: email)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }
        finally
        {
            // Back under the key the service holds, for the tests that follow.
            await Staff.StaffUserStore.ProtectSecondFactorsAsync(db, SealerWith(CasesFactory.ReportKey, NextKey), hasher, log);
        }
    }

    static Harbour.ServiceDefaults.Security.Sealer SealerWith(string key, string others) => new(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Harbour:ReportKey"] = key, ["Harbour:OtherReportKeys"] = others }).Build());

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
