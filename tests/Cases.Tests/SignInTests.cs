using System.Net;
using Harbour.Cases.Staff;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Cases.Tests;

// cases with a password hasher that counts its work, and a throttle that starts slowing down after two failures.
public sealed class SignInFactory : CasesFactory
{
    public int Verifications => hasher.Verifications;
    readonly CountingHasher hasher = new();

    public SignInFactory()
    {
        Settings["SignIn:FreeFailures"] = "2";
        Settings["SignIn:MaxDelay"] = "00:00:01";
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.AddSingleton<IPasswordHasher<StaffUser>>(hasher));

    sealed class CountingHasher : IPasswordHasher<StaffUser>
    {
        readonly PasswordHasher<StaffUser> inner = new();
        int verifications;
        public int Verifications => Volatile.Read(ref verifications);
        public string HashPassword(StaffUser user, string password) => inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(StaffUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref verifications);
            return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}

public sealed class SignInTests(SignInFactory cases) : IClassFixture<SignInFactory>
{
    [Fact]
    public async Task AnUnknownAddressAndAWrongPasswordGetTheSameAnswerAfterTheSameWork()
    {
        var before = cases.Verifications;
        var unknown = await StaffSignIn.SignInAsync(cases.Browser(), "nobody@harbour.test", "a guess at a passphrase");
        var afterUnknown = cases.Verifications;
        var wrong = await StaffSignIn.SignInAsync(cases.Browser(), cases.AdminEmail, "a guess at a passphrase");

        (afterUnknown - before).ShouldBe(1, "a password hash is checked for an address with no account too");
        (cases.Verifications - afterUnknown).ShouldBe(1);
        unknown.StatusCode.ShouldBe(wrong.StatusCode);
        Message(await unknown.Content.ReadAsStringAsync()).ShouldBe(Message(await wrong.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task RepeatedFailuresAreSlowedDownButNeverLockTheOwnerOut()
    {
        HttpClient FromOneClient()
        {
            var browser = cases.Browser();
            browser.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.4");
            return browser;
        }
        var throttle = cases.Services.GetRequiredService<SignInThrottle>();
        for (var i = 0; i < 8; i++)
            (await StaffSignIn.SignInAsync(FromOneClient(), cases.AdminEmail, $"guess number {i}")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        throttle.DelayFor(cases.AdminEmail, "198.51.100.4").ShouldBe(TimeSpan.FromSeconds(1), "past the free failures, answers slow down");
        throttle.DelayFor(cases.AdminEmail, "198.51.100.5").ShouldBe(TimeSpan.Zero, "another client is not slowed down by them");

        var owner = await StaffSignIn.SignInAsync(FromOneClient(), cases.AdminEmail, CasesFactory.AdminPassword);

        owner.SignedIn().ShouldBeTrue("the right passphrase (and code) still opens the account");
        throttle.DelayFor(cases.AdminEmail, "198.51.100.4").ShouldBe(TimeSpan.Zero, "a success clears the count");
    }

    [Fact]
    public void GuessesSentAllAtOnceWaitInTurn()
    {
        var throttle = cases.Services.GetRequiredService<SignInThrottle>();
        var email = $"parallel-{Guid.NewGuid():N}@harbour.test";

        var attempts = new Attempt[12];
        Parallel.For(0, attempts.Length, i => attempts[i] = throttle.Attempt(email, "198.51.100.9"));

        attempts.Count(a => a.Delay == TimeSpan.Zero).ShouldBe(2, "the free allowance (SignIn:FreeFailures here), however many arrive together");
        attempts.Count(a => !a.TooMany).ShouldBe(2, "two at a time for one address; the rest are refused at once");
        foreach (var attempt in attempts) attempt.Dispose();
        using var next = throttle.Attempt(email, "198.51.100.9");
        next.TooMany.ShouldBeFalse("once they are over, another may run");
    }

    [Fact]
    public async Task RefusedAndSuccessfulSignInsAreAudited()
    {
        await StaffSignIn.SignInAsync(cases.Browser(), "stranger@harbour.test", "not a passphrase here");
        await StaffSignIn.SignInAsync(cases.Browser(), cases.AdminEmail, CasesFactory.AdminPassword);

        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        (await db.AuditLog.CountAsync(a => a.Action == "staff.sign-in-refused" && a.Detail!.StartsWith("as stranger@harbour.test from "))).ShouldBe(1);
        (await db.AuditLog.CountAsync(a => a.Action == "staff.signed-in" && a.Actor.StartsWith("Administrator"))).ShouldBeGreaterThanOrEqualTo(1);
    }

    // On /cases/passphrase a signed-in screen left unattended must not become a way to guess the passphrase: each wrong
    // current passphrase is audited with the client, and counts against the account as a refused sign-in does.
    [Fact]
    public async Task WrongCurrentPassphrasesAreAuditedAndSlowedDownAsRefusedSignInsAre()
    {
        var (browser, id) = await cases.SignedInStaffAsync("Analyst");
        browser.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");
        var throttle = cases.Services.GetRequiredService<SignInThrottle>();
        await using var scope = cases.Services.CreateAsyncScope();
        var email = (await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByIdAsync(id))!.Email!;
        async Task<HttpResponseMessage> ChangeAsync(string current)
        {
            var form = HtmlForm.Read(await browser.GetStringAsync("/cases/passphrase"), "main form");
            (form["current"], form["passphrase"], form["again"]) = (current, "harbour lighthouse quietly blue", "harbour lighthouse quietly blue");
            return await browser.PostAsync("/cases/passphrase", form.ToContent());
        }

        for (var i = 0; i < 4; i++)
            (await ChangeAsync($"guess number {i}")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        throttle.DelayFor(email, "198.51.100.7").ShouldBe(TimeSpan.FromSeconds(1), "past the free failures (two here), answers slow down");
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        (await db.AuditLog.AsNoTracking().Where(a => a.Action == "staff.passphrase-change-refused" && a.Actor.EndsWith($"({id})"))
            .Select(a => a.Detail).ToListAsync()).ShouldBe(Enumerable.Repeat($"{email}: not the current passphrase, from 198.51.100.7", 4));
        (await ChangeAsync(CasesFactory.AdminPassword)).StatusCode.ShouldBe(HttpStatusCode.Redirect, "the right one still works");
        throttle.DelayFor(email, "198.51.100.7").ShouldBe(TimeSpan.Zero, "and clears the count");
    }

    static string Message(string page) => System.Text.RegularExpressions.Regex.Match(page, "<p id=\"sign-in-error\">([^<]*)</p>").Groups[1].Value;
}
