using System.Net.Http.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Harbour.EndToEnd.Tests;

// Every public page, in each state a reporter meets it, checked against the WCAG 2.2 A and AA rules a machine can check.
[Collection(HarbourCollection.Name)]
public sealed class AccessibilityTests(HarbourSystem harbour)
{
    [Theory]
    [InlineData("phone")]
    [InlineData("desktop")]
    public async Task EveryPublicPageMeetsTheCheckableRules(string screen)
    {
        var page = await BrowserTests.OpenAsync(harbour, screen, javaScript: true);
        var audit = new Audit(page);

        await page.GotoAsync("/");
        await audit.CheckAsync("home");
        await page.GotoAsync("/report");
        await audit.CheckAsync("report form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check your report" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await audit.CheckAsync("report form with mistakes");
        await page.GetByLabel("Ask to meet a case manager").CheckAsync();
        await audit.CheckAsync("report form with the contact and meeting questions shown");
        await BrowserTests.FillReportAsync(page, "meeting", "Posters mocking my religion were put up outside my room.");
        await audit.CheckAsync("check your report");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();
        await Expect(page.Locator("#receipt")).ToBeVisibleAsync();
        await audit.CheckAsync("confirmation");
        var reference = await page.Locator("#reference").TextContentAsync();
        var receipt = await page.Locator("#receipt").TextContentAsync();

        await page.GotoAsync("/follow-up");
        await audit.CheckAsync("follow-up sign-in");
        await page.GetByLabel("Reference").FillAsync(reference!);
        await page.GetByLabel("Receipt").FillAsync("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GG");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open my report" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await audit.CheckAsync("follow-up refused");

        await page.GetByLabel("Reference").FillAsync(reference!);
        await page.GetByLabel("Receipt").FillAsync(receipt!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open my report" }).ClickAsync();
        await Expect(page.GetByLabel("Write to your case manager")).ToBeVisibleAsync();
        await audit.CheckAsync("follow-up conversation");

        await page.GotoAsync("/support");
        await audit.CheckAsync("support directory");
        await page.GotoAsync("/guidance");
        await audit.CheckAsync("guidance");
        await audit.CheckEachLinkAsync("/guidance/");

        audit.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task TheStaffPagesMeetTheCheckableRules()
    {
        var page = await BrowserTests.OpenAsync(harbour, "desktop");
        var audit = new Audit(page);
        var sent = await harbour.Visitor().PostAsJsonAsync("/api/reports", new
        {
            kind = "named", categories = new[] { "race" }, description = "Someone drew a swastika on my door.", location = "online",
            occurredWhen = "this morning", reporterRole = "staff", contactName = "Alex Staff", contactEmail = "alex@example.ac.uk",
            consentToContact = "yes",
        });
        sent.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created);
        var reference = (await sent.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("reference").GetString();

        await page.GotoAsync("/cases/sign-in");
        await audit.CheckAsync("sign-in");
        await page.GetByLabel("Email address").FillAsync(HarbourSystem.AdminEmail);
        await page.GetByLabel("Password").FillAsync(HarbourSystem.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // The second factor: the authenticator app is set up at the first sign-in of this system, asked for after.
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/cases/sign-in/(enrol|code)"));
        if (page.Url.Contains("/enrol"))
        {
            await audit.CheckAsync("authenticator enrolment");
            StaffSignIn.RememberKey(HarbourSystem.AdminEmail, (await page.Locator("#authenticator-key").TextContentAsync())!);
            await page.GetByLabel("The six-digit code the app shows").FillAsync(StaffSignIn.CodeFor(HarbourSystem.AdminEmail));
            await page.GetByRole(AriaRole.Button, new() { Name = "Check the code" }).ClickAsync();
            await Expect(page.Locator("#recovery-codes")).ToBeVisibleAsync();
            await audit.CheckAsync("recovery codes");
            await page.GetByRole(AriaRole.Link, new() { Name = "Continue to Harbour" }).ClickAsync();
        }
        else
        {
            await audit.CheckAsync("second factor");
            await page.GetByLabel("The six-digit code your authenticator app shows").FillAsync(StaffSignIn.CodeFor(HarbourSystem.AdminEmail));
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        }
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/cases$"));
        await audit.CheckAsync("case list");
        await Eventually.GetAsync(async () => (await page.GotoAsync($"/cases/{reference}"))!.Status, status => status == 200, "the case to open");
        await audit.CheckAsync("case");
        await page.GotoAsync("/cases/profile");
        await audit.CheckAsync("profile");
        await audit.CheckEachLinkAsync("/cases/profile/");
        await page.GotoAsync("/cases/retention");
        await audit.CheckAsync("retention");
        await page.GotoAsync("/cases/subject-access");
        await audit.CheckAsync("subject access");
        await page.GetByLabel("Email address").FillAsync("alex@example.ac.uk");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Expect(page.Locator("#found")).ToBeVisibleAsync();
        await audit.CheckAsync("subject access findings");
        await page.GetByRole(AriaRole.Link, new() { Name = "Search the email service" }).ClickAsync();
        await audit.CheckAsync("subject access: emails");
        await page.GetByLabel("Email address").FillAsync("alex@example.ac.uk");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Department alerts" })).ToBeVisibleAsync();
        await audit.CheckAsync("subject access: emails found");
        foreach (var figures in new[] { "", "/where-and-when", "/response", "/support", "/learning", "/annual-report" })
        {
            await page.GotoAsync("/analytics" + figures);
            await audit.CheckAsync("analytics" + figures);
        }

        audit.Problems.ShouldBeEmpty();
    }

    // The pages checked so far and what failed on them, one line per element.
    sealed class Audit(IPage page)
    {
        static readonly AxeRunOptions WcagAA = new()
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
        };

        public List<string> Problems { get; } = [];

        public async Task CheckAsync(string state)
        {
            var result = await page.RunAxe(WcagAA);
            result.Passes.ShouldNotBeEmpty($"the rules ran on the {state}");
            Problems.AddRange(
                from violation in result.Violations
                from node in violation.Nodes
                select $"{state}: {violation.Id} ({violation.Help}) at {node.Target}: {node.Html}");
        }

        // Every page the current one links to under a path, such as each guidance page.
        public async Task CheckEachLinkAsync(string under)
        {
            var links = await page.Locator($"main a[href^='{under}']").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
            links.ShouldNotBeEmpty();
            foreach (var link in links)
            {
                await page.GotoAsync(link);
                await CheckAsync(link);
            }
        }
    }

    [Fact]
    public async Task TheKeyboardReachesQuickExitFirstAndCanSkipToTheContent()
    {
        var page = await BrowserTests.OpenAsync(harbour, "desktop");
        await page.GotoAsync("/report");

        await page.Keyboard.PressAsync("Tab");
        (await FocusedTextAsync(page)).ShouldBe("Leave this site quickly");
        await page.Keyboard.PressAsync("Tab");
        (await FocusedTextAsync(page)).ShouldBe("Skip to main content");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Tab");

        (await page.EvaluateAsync<bool>("document.querySelector('main').contains(document.activeElement)")).ShouldBeTrue("after skipping, the next stop is in the page's content");
    }

    static Task<string> FocusedTextAsync(IPage page) => page.EvaluateAsync<string>("document.activeElement.textContent.trim()");
}
