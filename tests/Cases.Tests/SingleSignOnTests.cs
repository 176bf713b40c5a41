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
    // Returns cases' last answer, from the callback.
    async Task<HttpResponseMessage> SignInAtUniversityAsync(HttpClient browser, string user)
    {
        var page = await browser.GetStringAsync("/cases/sign-in");
        page.ShouldContain("Sign in with your University of Harbour account");
        var toProvider = await browser.GetAsync("/cases/sign-in/sso?returnUrl=%2Fcases");
        toProvider.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = toProvider.Headers.Location!;
        location.GetLeftPart(UriPartial.Authority).ShouldBe(cases.Provider.Authority.GetLeftPart(UriPartial.Authority));

        using var atProvider = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() });
        var answer = await atProvider.GetAsync(location);
        var login = answer.Headers.Location!;
        login.AbsolutePath.ShouldBe("/login");
        var returnUrl = System.Web.HttpUtility.ParseQueryString(login.Query)["ReturnUrl"]!;
        answer = await atProvider.PostAsync(new Uri(cases.Provider.Authority, "/login"),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = user, ["returnUrl"] = returnUrl }));
        while (answer.StatusCode == HttpStatusCode.Redirect && answer.Headers.Location is { } next && !next.ToString().Contains("/cases/"))
            answer = await atProvider.GetAsync(next.IsAbsoluteUri ? next : new Uri(cases.Provider.Authority, next));
        var callback = answer.Headers.Location!;
        callback.AbsolutePath.ShouldBe("/cases/sign-in/sso/callback");
        return await browser.GetAsync(callback.PathAndQuery);
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

        var answer = await SignInAtUniversityAsync(browser, person.Email.Split('@')[0]);

        answer.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        answer.Headers.Location!.ToString().ShouldBe("/cases");
        (await browser.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await browser.GetAsync("/api/staff")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var (user, roles) = await AccountAsync(person.Email);
        user.ShouldNotBeNull().DisplayName.ShouldBe(person.Name);
        roles.ShouldBe([StaffRoles.CaseManager]);

        // A second sign-in finds the same account.
        (await SignInAtUniversityAsync(cases.Browser(), person.Email.Split('@')[0])).Headers.Location!.ToString().ShouldBe("/cases");
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

        var answer = await SignInAtUniversityAsync(browser, person.Email.Split('@')[0]);

        answer.Headers.Location!.ToString().ShouldBe("/cases/sign-in?sso=refused");
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

        var answer = await SignInAtUniversityAsync(browser, person.Email.Split('@')[0]);

        answer.Headers.Location!.ToString().ShouldStartWith("/cases/sign-in/enrol");
        (await browser.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "not signed in until the second factor");
        var enrol = await browser.GetStringAsync(answer.Headers.Location!.ToString());
        StaffSignIn.RememberKey(person.Email, StaffSignIn.KeyIn(enrol));
        var enrolled = await browser.PostAsync("/cases/sign-in/enrol?returnUrl=%2Fcases", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["code"] = StaffSignIn.CodeFor(person.Email), ["__RequestVerificationToken"] = StaffSignIn.AntiforgeryTokenIn(enrol),
        }));
        enrolled.SignedIn().ShouldBeTrue();
        (await browser.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);
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

        (await SignInAtUniversityAsync(browser, user)).Headers.Location!.ToString().ShouldBe("/cases/sign-in?sso=refused");
        (await browser.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ACallbackThatDidNotComeFromThisBrowsersSignInIsRefusedPolitely()
    {
        var browser = cases.Browser();
        var answer = await browser.GetAsync("/cases/sign-in/sso/callback?code=forged&state=forged");
        answer.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        answer.Headers.Location!.ToString().ShouldBe("/cases/sign-in?sso=failed");
        (await browser.GetStringAsync("/cases/sign-in?sso=failed")).ShouldContain("did not work");
    }
}
