using System.Net;
using Harbour.Cases.Staff;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Cases.Tests;

// Cases with single sign-on on, against a real OpenID Connect provider started for the test.
public sealed class SingleSignOnFactory : CasesFactory
{
    public OpenIdProvider Provider { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        Provider = await OpenIdProvider.StartAsync(new Uri("http://localhost/cases/sign-in/sso/callback"));
        Settings["Staff:Sso:Authority"] = Provider.Authority.ToString();
        Settings["Staff:Sso:ClientId"] = OpenIdProvider.ClientId;
        Settings["Staff:Sso:ClientSecret"] = OpenIdProvider.ClientSecret;
        Settings["Staff:Sso:RequireHttpsMetadata"] = "false";
        Settings["Staff:Sso:Scopes"] = "openid profile email groups";
        Settings["Staff:Sso:DisplayName"] = "University of Harbour account";
        Settings["Staff:Sso:Roles:Admin:0"] = "harbour-admins";
        Settings["Staff:Sso:Roles:CaseManager:0"] = "harbour-case-managers";
        Settings["Staff:Sso:Roles:CaseManager:1"] = "student-support-advisers";
        Settings["Staff:Sso:Roles:Analyst:0"] = "harbour-analysts";
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

public sealed class SingleSignOnTests(SingleSignOnFactory cases) : IClassFixture<SingleSignOnFactory>
{
    // A person at the sign-in page choosing the university account: off to the provider, signed in there, and back.
    // Returns where cases' callback page moves the browser on to.
    // start: where the browser sets off (the sign-in page's link, or the confirm page's).
    async Task<string> SignInAtUniversityAsync(HttpClient browser, string user, string returnUrl = "/cases", string? start = null)
    {
        (await browser.GetStringAsync("/cases/sign-in")).ShouldContain("Sign in with your University of Harbour account");
        var toProvider = await browser.GetAsync(start ?? $"/cases/sign-in/sso?returnUrl={Uri.EscapeDataString(returnUrl)}");
        toProvider.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = toProvider.Headers.Location!;
        var asked = System.Web.HttpUtility.ParseQueryString(location.Query);
        if (start is not null) (asked["prompt"], asked["max_age"]).ShouldBe(("login", "0"), "the provider is asked to authenticate afresh");
        else asked["prompt"].ShouldBeNull();
        location.GetLeftPart(UriPartial.Authority).ShouldBe(cases.Provider.Authority.GetLeftPart(UriPartial.Authority));

        using var atProvider = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() });
        var answer = await atProvider.GetAsync(location);
        var login = answer.Headers.Location!;
        login.AbsolutePath.ShouldBe("/login");
        var backToAuthorize = System.Web.HttpUtility.ParseQueryString(login.Query)["ReturnUrl"]!;
        answer = await atProvider.PostAsync(new Uri(cases.Provider.Authority, "/login"),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = user, ["returnUrl"] = backToAuthorize }));
        while (answer.StatusCode == HttpStatusCode.Redirect && answer.Headers.Location is { } onward && !onward.ToString().Contains("/cases/"))
            answer = await atProvider.GetAsync(onward.IsAbsoluteUri ? onward : new Uri(cases.Provider.Authority, onward));
        var callback = answer.Headers.Location!;
        callback.AbsolutePath.ShouldBe("/cases/sign-in/sso/callback");
        var page = await browser.GetAsync(callback.PathAndQuery);
        // A page that moves on by itself, so that the browser's next request is Harbour's own and carries its cookies.
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var moveOn = System.Text.RegularExpressions.Regex.Match(await page.Content.ReadAsStringAsync(), "content=\"0;url=([^\"]+)\"");
        moveOn.Success.ShouldBeTrue();
        return WebUtility.HtmlDecode(moveOn.Groups[1].Value);
    }

    OpenIdProvider.Person Person(string[] groups, bool secondFactor = true)
    {
        var id = Guid.NewGuid().ToString("N");
        var person = new OpenIdProvider.Person($"sub-{id}", $"{id}@university.test", $"Sam {id[..6]}", groups, secondFactor);
        cases.Provider.Known[id] = person;
        return person;
    }

    async Task<(StaffUser? User, IList<string> Roles)> AccountAsync(string email)
    {
        await using var scope = cases.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = await users.FindByEmailAsync(email);
        return (user, user is null ? [] : await users.GetRolesAsync(user));
    }

    [Fact]
    public async Task SomeoneInACaseManagersGroupSignsInAndTheirAccountIsMadeWithThatRole()
    {
        var person = Person(["student-support-advisers", "all-staff"]);
        var browser = cases.Browser();

        var next = await SignInAtUniversityAsync(browser, person.Email.Split('@')[0]);

        next.ShouldBe("/cases");
        (await browser.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await browser.GetAsync("/api/staff")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var (user, roles) = await AccountAsync(person.Email);
        user.ShouldNotBeNull().DisplayName.ShouldBe(person.Name);
        roles.ShouldBe([StaffRoles.CaseManager]);

        // A second sign-in finds the same account.
        (await SignInAtUniversityAsync(cases.Browser(), person.Email.Split('@')[0])).ShouldBe("/cases");
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        (await db.Users.CountAsync(u => u.Email == person.Email)).ShouldBe(1);
        (await db.AuditLog.CountAsync(a => a.Action == "staff.signed-in" && a.Actor.Contains(user.Id) && a.Detail!.StartsWith("through single sign-on")))
            .ShouldBe(2);
    }

    [Fact]
    public async Task SomeoneInNoHarbourGroupIsRefusedAndNoAccountIsMade()
    {
        var person = Person(["all-staff", "library"]);
        var browser = cases.Browser();

        var next = await SignInAtUniversityAsync(browser, person.Email.Split('@')[0]);

        next.ShouldBe("/cases/sign-in?sso=refused");
        (await browser.GetStringAsync("/cases/sign-in?sso=refused")).ShouldContain("has not been given access to Harbour");
        (await browser.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await AccountAsync(person.Email)).User.ShouldBeNull();
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        (await db.AuditLog.CountAsync(a => a.Action == "staff.sign-in-refused" && a.Detail!.Contains(person.Email))).ShouldBe(1);
    }

    [Fact]
    public async Task TheProvidersGroupsDecideTheRolesAtEverySignInAndAChangeEndsTheOldSessions()
    {
        var person = Person(["harbour-case-managers"]);
        var user = person.Email.Split('@')[0];
        var first = cases.Browser();
        await SignInAtUniversityAsync(first, user);
        (await first.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);

        cases.Provider.Known[user] = person with { Groups = ["harbour-analysts"] };
        var second = cases.Browser();
        await SignInAtUniversityAsync(second, user);

        (await AccountAsync(person.Email)).Roles.ShouldBe([StaffRoles.Analyst]);
        (await second.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await first.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the session with the old roles has ended");
    }

    [Fact]
    public async Task WithoutASecondFactorAtTheProviderHarbourAsksForItsOwn()
    {
        var person = Person(["harbour-case-managers"], secondFactor: false);
        var browser = cases.Browser();

        var next = await SignInAtUniversityAsync(browser, person.Email.Split('@')[0]);

        next.ShouldStartWith("/cases/sign-in/enrol");
        (await browser.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "not signed in until the second factor");
        var enrol = await browser.GetStringAsync(next);
        StaffSignIn.RememberKey(person.Email, StaffSignIn.KeyIn(enrol));
        var enrolled = await browser.PostAsync("/cases/sign-in/enrol?returnUrl=%2Fcases", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["code"] = StaffSignIn.CodeFor(person.Email), ["__RequestVerificationToken"] = StaffSignIn.AntiforgeryTokenIn(enrol),
        }));
        enrolled.SignedIn().ShouldBeTrue();
        (await browser.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AnAccountWithoutAHarbourAuthenticatorConfirmsItsSecondFactorBySigningInAfreshAtTheProvider()
    {
        var person = Person(["harbour-case-managers"]);
        var browser = cases.Browser();
        (await SignInAtUniversityAsync(browser, person.Email.Split('@')[0])).ShouldBe("/cases");
        var (user, _) = await AccountAsync(person.Email);
        user.ShouldNotBeNull().TwoFactorEnabled.ShouldBeFalse("the provider checked the second factor");
        await using (var scope = cases.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<CasesDbContext>().StaffSessions.Where(s => s.UserId == user.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.SecondFactorAt, DateTimeOffset.UtcNow.AddMinutes(-20)));
        // The legal compartment of a case that does not exist: past the second-factor check, not found.
        const string legal = "/cases/HR-2026-999999/legal";
        var asked = await browser.GetAsync(legal);
        asked.Headers.Location!.ToString().ShouldStartWith("/cases/confirm?");

        var confirm = await browser.GetStringAsync(asked.Headers.Location!.ToString());
        confirm.ShouldContain("Sign in again with your University of Harbour account");
        confirm.ShouldNotContain("The six-digit code");
        var start = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(confirm, "href=\"(/cases/sign-in/sso\\?fresh=true[^\"]*)\"").Groups[1].Value);
        (await SignInAtUniversityAsync(browser, person.Email.Split('@')[0], start: start)).ShouldBe(legal);
        (await browser.GetAsync(legal)).StatusCode.ShouldBe(HttpStatusCode.NotFound, "confirmed afresh: on to the page");
        await using var check = cases.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<CasesDbContext>();
        (await db.StaffSessions.CountAsync(s => s.UserId == user.Id)).ShouldBe(1, "the session was confirmed in place, no second one started");
        (await db.AuditLog.CountAsync(a => a.Action == "staff.second-factor-confirmed" && a.Actor.EndsWith($"({user.Id})"))).ShouldBe(1);
    }

    // Signing in again through the provider is no way round the confirmation: the provider's second factor counts from when
    // it says it authenticated the person (auth_time), so a provider answering from a session half an hour old starts a
    // session whose second factor is already too old for the legal compartment.
    [Fact]
    public async Task ASignOnSignInCountsTheSecondFactorFromWhenTheProviderCheckedIt()
    {
        const string legal = "/cases/HR-2026-999997/legal";
        var fresh = Person(["harbour-case-managers"]);
        var browser = cases.Browser();
        (await SignInAtUniversityAsync(browser, fresh.Email.Split('@')[0], returnUrl: legal)).ShouldBe(legal);
        (await browser.GetAsync(legal)).StatusCode.ShouldBe(HttpStatusCode.NotFound, "authenticated just now: straight on");

        var old = Person(["harbour-case-managers"]);
        var name = old.Email.Split('@')[0];
        cases.Provider.Known[name] = old with { SessionAge = TimeSpan.FromMinutes(30) };
        var other = cases.Browser();
        (await SignInAtUniversityAsync(other, name, returnUrl: legal)).ShouldBe(legal);
        (await other.GetAsync(legal)).Headers.Location!.ToString().ShouldStartWith("/cases/confirm?", customMessage: "authenticated half an hour ago: confirm first");
    }

    // A provider that keeps its own session and does not sign the person in again, whatever Harbour asks (its auth_time is
    // from before the request), confirms nothing: the person is back at the confirm page, told why, and it is audited.
    [Fact]
    public async Task AProviderThatDoesNotSignThePersonInAfreshConfirmsNothing()
    {
        var person = Person(["harbour-case-managers"]);
        var name = person.Email.Split('@')[0];
        var browser = cases.Browser();
        (await SignInAtUniversityAsync(browser, name)).ShouldBe("/cases");
        var (user, _) = await AccountAsync(person.Email);
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        await db.StaffSessions.Where(s => s.UserId == user!.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.SecondFactorAt, DateTimeOffset.UtcNow.AddMinutes(-20)));
        cases.Provider.Known[name] = person with { SessionAge = TimeSpan.FromMinutes(10) };
        const string legal = "/cases/HR-2026-999998/legal";

        var back = await SignInAtUniversityAsync(browser, name, start: $"/cases/sign-in/sso?fresh=true&returnUrl={Uri.EscapeDataString(legal)}");

        back.ShouldStartWith("/cases/confirm?sso=refused");
        (await browser.GetStringAsync(back)).ShouldContain("did not ask for your password and second factor again");
        (await browser.GetAsync(legal)).Headers.Location!.ToString().ShouldStartWith("/cases/confirm?", customMessage: "still not confirmed");
        (await db.AuditLog.AsNoTracking().Where(a => a.Action == "staff.second-factor-refused" && a.Actor.EndsWith($"({user!.Id})")).Select(a => a.Detail).SingleAsync())
            .ShouldStartWith("single sign-on: the provider did not sign the person in afresh");
    }

    [Fact]
    public async Task AnAccountDisabledInHarbourStaysOutWhateverTheProviderSays()
    {
        var admin = await cases.SignedInAdminAsync();
        var (_, id) = await cases.SignedInStaffAsync(StaffRoles.CaseManager);
        string email;
        await using (var scope = cases.Services.CreateAsyncScope())
            email = (await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByIdAsync(id))!.Email!;
        (await admin.PostAsync($"/api/staff/{id}/disable", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        // The same person at the provider, still in a Harbour group: linked by address, and refused.
        var user = $"linked-{Guid.NewGuid():N}";
        cases.Provider.Known[user] = new OpenIdProvider.Person($"sub-{user}", email, "Same Person", ["harbour-case-managers"]);
        var browser = cases.Browser();

        (await SignInAtUniversityAsync(browser, user)).ShouldBe("/cases/sign-in?sso=refused");
        (await browser.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnExistingAccountIsLinkedOnlyToAVerifiedAddressAndOnlyAfterHarboursOwnSecondFactor()
    {
        var (_, id) = await cases.SignedInStaffAsync(StaffRoles.CaseManager);
        string email;
        await using (var scope = cases.Services.CreateAsyncScope())
            email = (await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByIdAsync(id))!.Email!;
        // A provider account with the same address that the provider does not vouch for links nothing.
        var stranger = $"unverified-{Guid.NewGuid():N}";
        cases.Provider.Known[stranger] = new OpenIdProvider.Person($"sub-{stranger}", email, "Not Them", ["harbour-admins"], EmailVerified: false);
        (await SignInAtUniversityAsync(cases.Browser(), stranger)).ShouldBe("/cases/sign-in?sso=refused");

        // A verified one links, but the first time the person proves they hold the account's authenticator app.
        var owner = $"verified-{Guid.NewGuid():N}";
        cases.Provider.Known[owner] = new OpenIdProvider.Person($"sub-{owner}", email, "Test CaseManager", ["harbour-case-managers"]);
        var browser = cases.Browser();
        var next = await SignInAtUniversityAsync(browser, owner);
        next.ShouldStartWith("/cases/sign-in/code");
        (await browser.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var codePage = await browser.GetStringAsync(next);
        (await browser.PostAsync(next, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["code"] = StaffSignIn.CodeFor(email), ["__RequestVerificationToken"] = StaffSignIn.AntiforgeryTokenIn(codePage),
        }))).SignedIn().ShouldBeTrue();
        // From then on the provider's word (with its second factor) is enough.
        (await SignInAtUniversityAsync(cases.Browser(), owner)).ShouldBe("/cases");
    }

    [Fact]
    public async Task SomeoneTakenOutOfEveryHarbourGroupLosesTheirRolesAndSessions()
    {
        var person = Person(["harbour-case-managers"]);
        var user = person.Email.Split('@')[0];
        var signedIn = cases.Browser();
        await SignInAtUniversityAsync(signedIn, user);
        (await signedIn.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);

        cases.Provider.Known[user] = person with { Groups = ["alumni"] };
        (await SignInAtUniversityAsync(cases.Browser(), user)).ShouldBe("/cases/sign-in?sso=refused");

        (await signedIn.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await AccountAsync(person.Email)).Roles.ShouldBeEmpty();
    }

    [Fact]
    public async Task TheWayBackAfterSigningInStaysOnHarbour()
    {
        var person = Person(["harbour-case-managers"]);
        foreach (var returnUrl in new[] { "/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/" })
            (await SignInAtUniversityAsync(cases.Browser(), person.Email.Split('@')[0], returnUrl)).ShouldBe("/cases");
    }

    [Fact]
    public async Task ACallbackThatDidNotComeFromThisBrowsersSignInIsRefusedPolitely()
    {
        var browser = cases.Browser();
        var answer = await browser.GetAsync("/cases/sign-in/sso/callback?code=forged&state=forged");
        answer.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        answer.Headers.Location!.ToString().ShouldBe("/cases/sign-in?sso=failed");
        await using var scope = cases.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<CasesDbContext>().AuditLog.CountAsync(a => a.Detail!.StartsWith("single sign-on did not complete")))
            .ShouldBeGreaterThanOrEqualTo(1);
        (await browser.GetStringAsync("/cases/sign-in?sso=failed")).ShouldContain("did not work");
    }
}
