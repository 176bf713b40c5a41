using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Harbour.EndToEnd.Tests;

// Setting up the team in Chromium, through the gateway: an admin invites a specialist, who joins from the emailed link,
// sets up an authenticator app, signs out (a copied cookie dies with the session), comes back with a recovery code, and is
// disabled by the admin while signed in.
[Collection(HarbourCollection.Name)]
public sealed partial class StaffBrowserTests(HarbourSystem harbour)
{
    const string Passphrase = "harbour lights over the quay";

    [Fact]
    public async Task AnAdminInvitesASpecialistWhoJoinsWithASecondFactorAndIsDisabledWhileSignedIn()
    {
        var admin = await BrowserTests.OpenAsync(harbour, "desktop");
        await SignInAsync(admin, HarbourSystem.AdminEmail, HarbourSystem.AdminPassword);
        var email = $"sam-{Guid.NewGuid():N}@harbour.test";
        await admin.GotoAsync("/cases/staff");
        await admin.GetByLabel("Work email address").FillAsync(email);
        await admin.GetByLabel("Name shown on cases").FillAsync("Specialist Sam");
        await admin.GetByLabel("CaseManager").CheckAsync();
        await admin.GetByLabel("Sexual violence and abuse").CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Send the invitation" }).ClickAsync();
        await Expect(admin.GetByText("Specialist Sam is invited")).ToBeVisibleAsync();

        var invitation = await Eventually.GetAsync(async () => (await harbour.Mail.WithSubjectAsync("Your invitation to Harbour")).Where(m => m.To.Contains(email)).ToList(),
            m => m.Count > 0, "the invitation email");
        var link = InvitationLink().Match(await harbour.Mail.PlainTextAsync(invitation[0])).Value;
        var sam = await BrowserTests.OpenAsync(harbour, "phone", javaScript: true);
        await sam.GotoAsync(link);
        await sam.GetByLabel("Passphrase", new() { Exact = true }).FillAsync(Passphrase);
        await sam.GetByLabel("The same passphrase again").FillAsync(Passphrase);
        await sam.GetByRole(AriaRole.Button, new() { Name = "Create my account" }).ClickAsync();
        await Expect(sam.GetByText("Your account is ready")).ToBeVisibleAsync();
        var recoveryCodes = await SignInAsync(sam, email, Passphrase);
        recoveryCodes.Count.ShouldBe(10, "a new account sets up its app at its first sign-in");
        await Expect(sam).ToHaveURLAsync(new Regex("/cases$"));

        // Signing out ends the session for a copy of the cookie too.
        var cookie = (await sam.Context.CookiesAsync()).Single(c => c.Name == "harbour_staff");
        using var copy = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = harbour.Gateway };
        copy.DefaultRequestHeaders.Add("Cookie", $"harbour_staff={cookie.Value}");
        (await copy.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await sam.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(sam).ToHaveURLAsync(new Regex("/cases/sign-in"));
        (await copy.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // Back without the phone: a recovery code.
        await sam.GetByLabel("Email address").FillAsync(email);
        await sam.GetByLabel("Password").FillAsync(Passphrase);
        await sam.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await sam.GetByText("I do not have my phone").ClickAsync();
        await sam.GetByLabel("One of your recovery codes").FillAsync(recoveryCodes[0]);
        await sam.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(sam).ToHaveURLAsync(new Regex("/cases$"));

        // The admin disables the account while Sam is signed in: Sam's next page is the sign-in page.
        await admin.GotoAsync("/cases/staff");
        await admin.GetByRole(AriaRole.Row).Filter(new() { HasText = email }).GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Expect(admin.GetByText("The account is disabled")).ToBeVisibleAsync();
        await sam.GotoAsync("/cases");
        await Expect(sam).ToHaveURLAsync(new Regex("/cases/sign-in"));
    }

    [Fact]
    public async Task TheFiguresShowWithoutACspComplaintAndTheAnnualReportPrintsOnA4WithNothingCutOff()
    {
        // Three reports, so that the figures have something to draw (fewer would show as 0); of a category no other test uses.
        for (var i = 0; i < 3; i++)
            (await harbour.Visitor().PostAsJsonAsync("/api/reports", new
            {
                kind = "anonymous", categories = new[] { "religion" }, description = "Someone mocked my headscarf in the lecture theatre.",
                location = "city-campus/engineering", occurredWhen = "Monday morning", reporterRole = "student",
            })).EnsureSuccessStatusCode();
        var staff = await harbour.SignedInStaffAsync();
        await Eventually.GetAsync(() => staff.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/analytics/figures?unrounded=true"),
            f => f.GetProperty("reports").GetInt32() >= 3, "the reports counted", seconds: 120);

        var admin = await BrowserTests.OpenAsync(harbour, "desktop");
        var complaints = new List<string>();
        admin.Console += (_, message) => { if (message.Text.Contains("Content Security Policy")) complaints.Add(message.Text); };
        await SignInAsync(admin, HarbourSystem.AdminEmail, HarbourSystem.AdminPassword);

        await admin.GotoAsync("/analytics");
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Figures for the steering group" })).ToBeVisibleAsync();
        await Expect(admin.Locator("figure.chart svg").First).ToBeVisibleAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = "Where and when" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Where and when:" })).ToBeVisibleAsync();
        await Expect(admin.GetByRole(AriaRole.Link, new() { Name = "Where and when" })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(admin.Locator("figure.chart svg").First).ToBeVisibleAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = "Annual report" }).ClickAsync();
        // This academic year so far: the reports the other tests made are in it.
        var today = DateTime.UtcNow;
        await admin.GetByLabel("Academic year").FillAsync((today.Month >= 8 ? today.Year : today.Year - 1).ToString());
        await admin.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "What changed" })).ToBeVisibleAsync();

        // A4 portrait at 96 dots an inch less the browser's default print margins (about 1 cm a side): no table or chart wider.
        await admin.SetViewportSizeAsync(718, 1123);
        await admin.EmulateMediaAsync(new() { Media = Media.Print });
        (await admin.Locator("header.banner").IsVisibleAsync()).ShouldBeFalse("the navigation is not printed");
        var overflowing = await admin.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('main table, main svg, main .table-scroll, main h1, main p, main li')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5
                    || (e.classList.contains('table-scroll') && e.scrollWidth > e.clientWidth + 1))
                .map(e => e.tagName + ': ' + (e.textContent || '').trim().slice(0, 40))
            """);
        overflowing.ShouldBeEmpty();
        (await admin.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")).ShouldBeTrue();
        (await admin.PdfAsync(new() { Format = "A4" })).Length.ShouldBeGreaterThan(10_000);
        complaints.ShouldBeEmpty();
    }

    // Signs in as a person would, second factor included; at an account's first sign-in, sets up the app and returns the
    // recovery codes shown once.
    internal static async Task<List<string>> SignInAsync(IPage page, string email, string passphrase)
    {
        await page.GotoAsync("/cases/sign-in");
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(passphrase);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/cases/sign-in/(enrol|code)"));
        if (!page.Url.Contains("/enrol"))
        {
            await page.GetByLabel("The six-digit code your authenticator app shows").FillAsync(StaffSignIn.CodeFor(email));
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/cases$"));
            return [];
        }
        StaffSignIn.RememberKey(email, (await page.Locator("#authenticator-key").TextContentAsync())!);
        await page.GetByLabel("The six-digit code the app shows").FillAsync(StaffSignIn.CodeFor(email));
        await page.GetByRole(AriaRole.Button, new() { Name = "Check the code" }).ClickAsync();
        var codes = (await page.Locator("#recovery-codes code").AllTextContentsAsync()).ToList();
        await page.GetByRole(AriaRole.Link, new() { Name = "Continue to Harbour" }).ClickAsync();
        return codes;
    }

    [GeneratedRegex("/cases/invitation/[A-Za-z0-9_-]+")]
    internal static partial Regex InvitationLink();
}
