using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbour.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Cases.Tests;

// Admins set up the team: invite people with roles and teams, who choose a passphrase from the emailed link; disable them.
public sealed class StaffAccountsTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    const string Passphrase = "river lantern autumn quietly";

    [Fact]
    public async Task AnInvitedCaseManagerJoinsOnceAndSignsInWithTheirRole()
    {
        var admin = await cases.SignedInAdminAsync();
        var (email, token) = await InviteAsync(admin, "Specialist Sam", "CaseManager", "Sexual violence and abuse");

        await using (var scope = cases.Services.CreateAsyncScope())
        {
            // The link's secret is kept only as its SHA-256: a dump of the database opens no invitation.
            var kept = await scope.ServiceProvider.GetRequiredService<CasesDbContext>().Invitations.AsNoTracking().SingleAsync(i => i.Email == email);
            kept.TokenHash.ShouldBe(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token)));
            JsonSerializer.Serialize(kept).ShouldNotContain(token);
        }

        var newcomer = cases.Browser();
        var invitation = await newcomer.GetStringAsync($"/cases/invitation/{token}");
        invitation.ShouldContain("Specialist Sam");
        // A passphrase under 12 characters is refused beside the field; the link still works.
        var tooShort = await newcomer.PostAsync($"/cases/invitation/{token}", Form(invitation, "short words", "short words"));
        tooShort.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await tooShort.Content.ReadAsStringAsync()).ShouldContain("at least 12 characters");
        // So is one easy to guess (ASVS V6.2.4, V6.2.11): among the commonest passwords, a keyboard run, or their own name.
        foreach (var guessable in new[] { "password123456", "qwertyuiop1234", "Specialist Sam Harbour" })
        {
            var refused = await newcomer.PostAsync($"/cases/invitation/{token}", Form(invitation, guessable, guessable));
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await refused.Content.ReadAsStringAsync()).ShouldContain("This passphrase is too easy to guess", customMessage: guessable);
        }
        var joined = await newcomer.PostAsync($"/cases/invitation/{token}", Form(invitation, Passphrase, Passphrase));
        joined.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await cases.Browser().GetAsync($"/cases/invitation/{token}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "the link works once");

        var sam = cases.Browser();
        (await StaffSignIn.SignInAsync(sam, email, Passphrase)).SignedIn().ShouldBeTrue();
        (await sam.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await sam.GetAsync("/api/profile")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var staff = await admin.GetFromJsonAsync<JsonElement>("/api/staff");
        var account = staff.EnumerateArray().Single(a => a.GetProperty("email").GetString() == email);
        account.GetProperty("teams")[0].GetString().ShouldBe("Sexual violence and abuse");
        account.GetProperty("status").GetString().ShouldBe("active");
        (await admin.PostAsJsonAsync("/api/staff/invitations", new { email, displayName = "Sam again", roles = new[] { "Analyst" } }))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest, "an address with an account is not invited again");
    }

    [Fact]
    public async Task AnInvitationSentTwiceIsSentOnce()
    {
        var admin = await cases.SignedInAdminAsync();
        var email = $"twice-{Guid.NewGuid():N}@harbour.test";
        var invited = Listen(email);
        await invited.Ready;

        for (var i = 0; i < 2; i++)
            (await admin.PostAsJsonAsync("/api/staff/invitations", new { email, displayName = "Twice", roles = new[] { "Analyst" } }))
                .StatusCode.ShouldBe(HttpStatusCode.Created);

        await invited.First;
        await Task.Delay(TimeSpan.FromSeconds(2));
        invited.Count().ShouldBe(1);
        await using var scope = cases.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<CasesDbContext>().Invitations.CountAsync(i => i.Email == email)).ShouldBe(1);
    }

    [Fact]
    public async Task DisablingAnAccountEndsItsSessionAtOnceAndRefusesItsSignIn()
    {
        var admin = await cases.SignedInAdminAsync();
        var (email, id, lee) = await JoinedAndSignedInAsync(admin, "Leaving Lee", "CaseManager");
        (await lee.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await admin.PostAsync($"/api/staff/{id}/disable", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await lee.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the signed-in session ended");
        var again = await StaffSignIn.SignInAsync(cases.Browser(), email, Passphrase);
        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await again.Content.ReadAsStringAsync()).ShouldContain("The email address or password is not right.");
    }

    // Roles travel in the session's token, so a change of roles ends every session of the account at once; a change of name
    // or teams does not (teams are read from the database at each request).
    [Fact]
    public async Task ChangingAnAccountsRolesEndsItsSessionsAndTheNextSignInCarriesTheNewRoles()
    {
        var admin = await cases.SignedInAdminAsync();
        var (email, id, ari) = await JoinedAndSignedInAsync(admin, "Analyst Ari", "Analyst");
        (await ari.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "an analyst reads no case");

        (await admin.PutAsJsonAsync($"/api/staff/{id}", new { displayName = "Ari Analyst", roles = new[] { "Analyst" } }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await ari.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "a new name keeps the session");

        (await admin.PutAsJsonAsync($"/api/staff/{id}", new { displayName = "Ari Analyst", roles = new[] { "CaseManager" }, teams = new[] { "Sexual violence and abuse" } }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await ari.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the session with the old roles ended");
        await using (var scope = cases.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
            (await db.StaffSessions.AsNoTracking().Where(s => s.UserId == id).Select(s => s.EndReason).ToListAsync())
                .ShouldAllBe(reason => reason == "roles changed");
        }
        var again = cases.Browser();
        (await StaffSignIn.SignInAsync(again, email, Passphrase)).SignedIn().ShouldBeTrue();
        (await again.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK, "signed in again, as a case manager");
    }

    // Their own passphrase, the current one first; then every session of the account ends, the one that changed it too.
    [Fact]
    public async Task AMemberOfStaffChangesTheirPassphraseAndEverySessionEnds()
    {
        var admin = await cases.SignedInAdminAsync();
        var (email, id, pat) = await JoinedAndSignedInAsync(admin, "Passphrase Pat", "Analyst");
        var elsewhere = cases.Browser();
        (await StaffSignIn.SignInAsync(elsewhere, email, Passphrase)).SignedIn().ShouldBeTrue();
        const string next = "harbour lighthouse quietly blue";

        async Task<HttpResponseMessage> ChangeAsync(string current, string passphrase, string again)
        {
            var form = HtmlForm.Read(await pat.GetStringAsync("/cases/passphrase"), "main form");
            (form["current"], form["passphrase"], form["again"]) = (current, passphrase, again);
            return await pat.PostAsync("/cases/passphrase", form.ToContent());
        }
        var wrong = await ChangeAsync("not my passphrase at all", next, next);
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await wrong.Content.ReadAsStringAsync()).ShouldContain("That is not your current passphrase.");
        var mismatched = await ChangeAsync(Passphrase, next, next + " x");
        (await mismatched.Content.ReadAsStringAsync()).ShouldContain("Type the same new passphrase twice.");
        (await ChangeAsync(Passphrase, "short", "short")).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "Identity's rule: 12 characters at least");
        var guessable = await ChangeAsync(Passphrase, "iloveyou123456", "iloveyou123456");
        guessable.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await guessable.Content.ReadAsStringAsync()).ShouldContain("This passphrase is too easy to guess");
        (await elsewhere.GetAsync("/cases/passphrase")).StatusCode.ShouldBe(HttpStatusCode.OK, "nothing changed yet");

        var changed = await ChangeAsync(Passphrase, next, next);
        changed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        changed.Headers.Location!.ToString().ShouldBe("/cases/sign-in?changed=1");
        (await elsewhere.GetAsync("/cases/passphrase")).StatusCode.ShouldBe(HttpStatusCode.Redirect, "the other session ended");
        (await pat.GetAsync("/cases/passphrase")).StatusCode.ShouldBe(HttpStatusCode.Redirect, "and this one");
        (await StaffSignIn.SignInAsync(cases.Browser(), email, Passphrase)).SignedIn().ShouldBeFalse("the old passphrase no longer works");
        (await StaffSignIn.SignInAsync(cases.Browser(), email, next)).SignedIn().ShouldBeTrue();
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        (await db.StaffSessions.AsNoTracking().Where(s => s.UserId == id && s.EndReason == "passphrase changed").CountAsync()).ShouldBe(2);
        (await db.AuditLog.AsNoTracking().CountAsync(e => e.Action == "staff.passphrase-changed")).ShouldBe(1);
    }

    [Fact]
    public async Task AForgottenPassphraseIsChosenAgainFromTheEmailedLinkOnceAndTheSecondFactorIsStillAsked()
    {
        var admin = await cases.SignedInAdminAsync();
        var (email, id, fran) = await JoinedAndSignedInAsync(admin, "Forgetful Fran", "CaseManager");
        var stranger = $"nobody-{Guid.NewGuid():N}@harbour.test";
        var requested = Listen<StaffPassphraseResetRequested>(r => r.Email == email);
        var forStranger = Listen<StaffPassphraseResetRequested>(r => r.Email == stranger);
        await Task.WhenAll(requested.Ready, forStranger.Ready);
        const string next = "copper meadow thunder slowly";

        async Task<string> AskAsync(string address)
        {
            var browser = cases.Browser();
            var form = HtmlForm.Read(await browser.GetStringAsync("/cases/passphrase/forgotten"), "main form");
            form["email"] = address;
            var asked = await browser.PostAsync("/cases/passphrase/forgotten", form.ToContent());
            asked.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            var page = await browser.GetStringAsync(asked.Headers.Location!.ToString());
            return System.Text.RegularExpressions.Regex.Match(page, "<div class=\"notice\".*?</div>", System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        }
        var answer = await AskAsync(email);
        (await AskAsync(email)).ShouldBe(answer, "asked twice: the same answer");
        answer.ShouldContain($"If <strong dir=\"auto\">{email}</strong> is the address of a Harbour account");
        (await AskAsync(stranger)).Replace(stranger, email).ShouldBe(answer, "an address with no account gets the same answer, word for word");

        var sealedToken = (await requested.First.WaitAsync(TimeSpan.FromSeconds(60))).SealedToken;
        var token = TestMail.Sealer.Open<string>(sealedToken);
        await Task.Delay(TimeSpan.FromSeconds(2));
        requested.Count().ShouldBe(1, "asked twice within five minutes: one email");
        forStranger.Count().ShouldBe(0, "nothing goes to an address with no account");
        await using (var scope = cases.Services.CreateAsyncScope())
        {
            var kept = await scope.ServiceProvider.GetRequiredService<CasesDbContext>().PassphraseResets.AsNoTracking().SingleAsync(r => r.UserId == id);
            kept.TokenHash.ShouldBe(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token)), "only the link's hash is kept");
        }

        var owner = cases.Browser();
        var page = await owner.GetStringAsync($"/cases/passphrase/reset/{token}");
        page.ShouldContain(email);
        var mismatched = await owner.PostAsync($"/cases/passphrase/reset/{token}", Form(page, next, next + " x"));
        mismatched.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await mismatched.Content.ReadAsStringAsync()).ShouldContain("Type the same new passphrase twice.");
        var tooShort = await owner.PostAsync($"/cases/passphrase/reset/{token}", Form(page, "short words", "short words"));
        tooShort.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await tooShort.Content.ReadAsStringAsync()).ShouldContain("at least 12 characters");
        var guessable = await owner.PostAsync($"/cases/passphrase/reset/{token}", Form(page, "password123456", "password123456"));
        (await guessable.Content.ReadAsStringAsync()).ShouldContain("This passphrase is too easy to guess");
        (await fran.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK, "nothing changed yet");

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => owner.PostAsync($"/cases/passphrase/reset/{token}", Form(page, next, next))));
        answers.ShouldAllBe(a => a.StatusCode == HttpStatusCode.Redirect && a.Headers.Location!.ToString() == "/cases/sign-in?reset=1",
            "the same form sent three times at once sets it once");
        (await cases.Browser().GetAsync($"/cases/passphrase/reset/{token}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "the link works once");
        (await fran.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "signed out everywhere");
        (await StaffSignIn.SignInAsync(cases.Browser(), email, Passphrase)).SignedIn().ShouldBeFalse("the old passphrase no longer works");
        var browser = cases.Browser();
        var signIn = await browser.GetStringAsync("/cases/sign-in");
        var passphraseOnly = await browser.PostAsync("/cases/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["password"] = next, ["__RequestVerificationToken"] = StaffSignIn.AntiforgeryTokenIn(signIn),
        }));
        passphraseOnly.Headers.Location!.ToString().ShouldStartWith("/cases/sign-in/code", customMessage: "the authenticator app is still asked");
        (await StaffSignIn.SignInAsync(cases.Browser(), email, next)).SignedIn().ShouldBeTrue();

        await using var after = cases.Services.CreateAsyncScope();
        var db = after.ServiceProvider.GetRequiredService<CasesDbContext>();
        (await db.AuditLog.AsNoTracking().CountAsync(e => e.Action == "staff.passphrase-reset-requested" && e.Detail == email)).ShouldBe(1);
        // Each request not sent is on the trail too, with why: it costs the same write, so the answer's time tells nothing.
        (await db.AuditLog.AsNoTracking().Where(e => e.Action == "staff.passphrase-reset-not-sent" && (e.Detail!.StartsWith(email) || e.Detail.StartsWith(stranger)))
            .OrderBy(e => e.Id).Select(e => e.Detail).ToListAsync())
            .ShouldBe([$"{email}: a link was sent less than 5 minutes ago", $"{stranger}: no enabled account that signs in with a passphrase"]);
        (await db.AuditLog.AsNoTracking().CountAsync(e => e.Action == "staff.passphrase-reset" && e.Detail == email)).ShouldBe(1);
        (await db.StaffSessions.AsNoTracking().CountAsync(s => s.UserId == id && s.EndReason == "passphrase reset")).ShouldBe(1);
    }

    [Fact]
    public async Task APassphraseLinkStopsWorkingWhenTheAccountIsDisabledOrANewerLinkIsSent()
    {
        var admin = await cases.SignedInAdminAsync();
        var (email, id, _) = await JoinedAndSignedInAsync(admin, "Leaving Lou", "Analyst");
        var clock = cases.Services.GetRequiredService<TimeProvider>();
        string first, second;
        await using (var scope = cases.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
            var reset = new Staff.PassphraseReset { UserId = id };
            db.PassphraseResets.Add(reset);
            first = reset.Renew(TimeSpan.FromHours(1), clock);
            await db.SaveChangesAsync();
            second = reset.Renew(TimeSpan.FromHours(1), clock);
            await db.SaveChangesAsync();
        }
        (await cases.Browser().GetAsync($"/cases/passphrase/reset/{first}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "a newer link replaces it");
        (await cases.Browser().GetAsync($"/cases/passphrase/reset/{second}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await admin.PostAsync($"/api/staff/{id}/disable", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var refused = await cases.Browser().GetAsync($"/cases/passphrase/reset/{second}");
        refused.StatusCode.ShouldBe(HttpStatusCode.NotFound, "a disabled account's link does not work");
        (await refused.Content.ReadAsStringAsync()).ShouldContain("This link does not work");
    }

    [Fact]
    public async Task TheSameInvitationSentTwiceAtOnceMakesOneAccount()
    {
        var admin = await cases.SignedInAdminAsync();
        var (email, token) = await InviteAsync(admin, "Double Click", "CaseManager");
        var newcomer = cases.Browser();
        var page = await newcomer.GetStringAsync($"/cases/invitation/{token}");

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => newcomer.PostAsync($"/cases/invitation/{token}", Form(page, Passphrase, Passphrase))));

        answers.ShouldAllBe(a => a.StatusCode == HttpStatusCode.Redirect && a.Headers.Location!.ToString() == "/cases/sign-in?joined=1");
        (await admin.GetFromJsonAsync<JsonElement>("/api/staff")).EnumerateArray().Count(a => a.GetProperty("email").GetString() == email).ShouldBe(1);
        (await StaffSignIn.SignInAsync(cases.Browser(), email, Passphrase)).SignedIn().ShouldBeTrue();
    }

    [Fact]
    public async Task ResettingASecondFactorEndsTheSessionsAndTheNextSignInSetsUpANewApp()
    {
        var admin = await cases.SignedInAdminAsync();
        var (email, token) = await InviteAsync(admin, "Lost Phone", "CaseManager");
        var newcomer = cases.Browser();
        var page = await newcomer.GetStringAsync($"/cases/invitation/{token}");
        await newcomer.PostAsync($"/cases/invitation/{token}", Form(page, Passphrase, Passphrase));
        var signedIn = cases.Browser();
        (await StaffSignIn.SignInAsync(signedIn, email, Passphrase)).SignedIn().ShouldBeTrue();
        var id = (await admin.GetFromJsonAsync<JsonElement>("/api/staff")).EnumerateArray()
            .Single(a => a.GetProperty("email").GetString() == email).GetProperty("id").GetString();
        var oldCode = StaffSignIn.CodeFor(email);

        (await admin.PostAsync($"/api/staff/{id}/reset-second-factor", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await signedIn.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "signed out everywhere");
        var browser = cases.Browser();
        var signIn = await browser.GetStringAsync("/cases/sign-in");
        var passphrase = await browser.PostAsync("/cases/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["password"] = Passphrase, ["__RequestVerificationToken"] = StaffSignIn.AntiforgeryTokenIn(signIn),
        }));
        passphrase.Headers.Location!.ToString().ShouldStartWith("/cases/sign-in/enrol", customMessage: "a new app is set up");
        var enrol = await browser.GetStringAsync(passphrase.Headers.Location!.ToString());
        var refused = await browser.PostAsync(passphrase.Headers.Location!.ToString(), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["code"] = oldCode, ["__RequestVerificationToken"] = StaffSignIn.AntiforgeryTokenIn(enrol),
        }));
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "the old app's codes no longer work");
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        (await db.AuditLog.CountAsync(a => a.Action == "staff.second-factor-reset" && a.Detail == email)).ShouldBe(1);
    }

    [Fact]
    public async Task MistakesInAnInvitationAreNamedBesideTheirFieldsAndNothingIsSent()
    {
        var admin = await cases.SignedInAdminAsync();

        var api = await admin.PostAsJsonAsync("/api/staff/invitations", new { email = "not an address", displayName = "", roles = new[] { "Superuser" }, teams = new[] { "Astrology" } });

        api.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "email", "displayName", "roles", "teams" }) errors.TryGetProperty(field, out _).ShouldBeTrue(field);
        var form = HtmlForm.Read(await admin.GetStringAsync("/cases/staff"), "form:has(#invite-email)");
        form["Invite.Email"] = "casey@harbour.test";
        var page = await admin.PostAsync("/cases/staff?handler=Invite", form.ToContent());
        page.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("Enter the name colleagues know them by.");
        html.ShouldContain("value=\"casey@harbour.test\"", customMessage: "what was typed is kept");
    }

    async Task<(string Email, string Token)> InviteAsync(HttpClient admin, string name, string role, params string[] teams)
    {
        var email = $"{name.Split(' ')[0].ToLowerInvariant()}-{Guid.NewGuid():N}@harbour.test";
        var invited = Listen(email);
        await invited.Ready;
        (await admin.PostAsJsonAsync("/api/staff/invitations", new { email, displayName = name, roles = new[] { role }, teams }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        // The link's secret crosses the broker sealed with the mail key: only cases and notifications can read it.
        var sealedToken = (await invited.First.WaitAsync(TimeSpan.FromSeconds(60))).SealedToken;
        var token = TestMail.Sealer.Open<string>(sealedToken);
        sealedToken.ShouldNotContain(token, Case.Sensitive, "the token is not in the clear");
        return (email, token);
    }

    // Invited, joined through the emailed link, and signed in on a browser of their own: (address, account id, browser).
    async Task<(string Email, string Id, HttpClient Browser)> JoinedAndSignedInAsync(HttpClient admin, string name, string role)
    {
        var (email, token) = await InviteAsync(admin, name, role);
        var newcomer = cases.Browser();
        var page = await newcomer.GetStringAsync($"/cases/invitation/{token}");
        (await newcomer.PostAsync($"/cases/invitation/{token}", Form(page, Passphrase, Passphrase))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var browser = cases.Browser();
        (await StaffSignIn.SignInAsync(browser, email, Passphrase)).SignedIn().ShouldBeTrue();
        var id = (await admin.GetFromJsonAsync<JsonElement>("/api/staff")).EnumerateArray()
            .Single(a => a.GetProperty("email").GetString() == email).GetProperty("id").GetString()!;
        return (email, id, browser);
    }

    static FormUrlEncodedContent Form(string page, string passphrase, string again)
    {
        var form = HtmlForm.Read(page);
        (form["passphrase"], form["again"]) = (passphrase, again);
        return form.ToContent();
    }

    (Task Ready, Task<StaffInvited> First, Func<int> Count) Listen(string email) => Listen<StaffInvited>(invited => invited.Email == email);

    // The messages of type T the test's predicate picks, as they cross the broker: the first, and how many so far.
    (Task Ready, Task<T> First, Func<int> Count) Listen<T>(Func<T, bool> mine) where T : class
    {
        var first = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var count = 0;
        var handle = cases.Services.GetRequiredService<IBus>().ConnectReceiveEndpoint(TestServers.UniqueName("listen"), endpoint =>
            endpoint.Handler<T>(context =>
            {
                if (!mine(context.Message)) return Task.CompletedTask;
                Interlocked.Increment(ref count);
                first.TrySetResult(context.Message);
                return Task.CompletedTask;
            }));
        return (handle.Ready, first.Task, () => Volatile.Read(ref count));
    }
}
