using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Harbour.EndToEnd.Tests;

// A person in Chromium, through the gateway: on a phone (without JavaScript) and on a desktop (with it).
[Collection(HarbourCollection.Name)]
public sealed class BrowserTests(HarbourSystem harbour)
{
    public static TheoryData<string, string> KindsAndScreens => new()
    {
        { "anonymous", "phone" }, { "named", "phone" }, { "meeting", "phone" },
        { "anonymous", "desktop" }, { "named", "desktop" }, { "meeting", "desktop" },
    };

    [Theory]
    [MemberData(nameof(KindsAndScreens))]
    public async Task APersonReportsInEachWayOnAPhoneAndOnADesktop(string kind, string screen)
    {
        var page = await OpenAsync(harbour, screen);
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Make a report", Exact = true }).ClickAsync();

        await FillReportAsync(page, kind, "Someone wrote insults about my faith on the whiteboard.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your report has been received" })).ToBeVisibleAsync();
        await Expect(page.Locator("#reference")).ToHaveTextAsync(new Regex(@"^HR-\d{4}-\d{6}$"));
        await Expect(page.Locator("#receipt")).ToHaveTextAsync(new Regex("^([0-9A-Z]{4}-){6}[0-9A-Z]{2}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Spirituality and Faith Centre" })).ToBeVisibleAsync();
        (await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth")).ShouldBeTrue("the page fits the screen");

        // Reloading the confirmation (or a phone reloading the tab) sends the page again: the report is kept once.
        var reference = await page.Locator("#reference").TextContentAsync();
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This report has already been sent" })).ToBeVisibleAsync();
        await Expect(page.Locator("#reference")).ToHaveTextAsync(reference!);
        await Expect(page.Locator("#receipt")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AnAnonymousReporterComesBackWithTheReceiptAndTalksWithTheCaseManager()
    {
        var page = await OpenAsync(harbour, "phone", javaScript: true);
        await page.GotoAsync("/report");
        await FillReportAsync(page, "anonymous", "A group follows me to the bus stop and shouts at me.");
        await page.GetByLabel("Add photos, screenshots or documents (optional)").SetInputFilesAsync(
            new FilePayload { Name = "IMG_2041.jpg", MimeType = "image/jpeg", Buffer = SampleFiles.JpegWithLocation() });
        await page.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();
        var reference = await page.Locator("#reference").TextContentAsync();
        var receipt = await page.Locator("#receipt").TextContentAsync();

        var staff = await harbour.SignedInStaffAsync();
        await HarbourSystem.ReplyAsync(staff, reference!, "Thank you for telling us. Which bus stop is it?");

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Follow a report" }).ClickAsync();
        await page.GetByLabel("Reference").FillAsync(reference!);
        await page.GetByLabel("Receipt").FillAsync(receipt!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open my report" }).ClickAsync();
        // The report has opened before the page is reloaded (a reload during the navigation fails).
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Report {reference}" })).ToBeVisibleAsync();
        await Eventually.GetAsync(async () => { await page.ReloadAsync(); return await page.ContentAsync(); },
            html => html.Contains("Which bus stop is it?"), "the case manager's message");
        await page.GetByLabel("Write to your case manager").FillAsync("The one outside the Sports Centre.");
        await page.GetByLabel("Add photos, screenshots or documents (optional)").SetInputFilesAsync(
            new FilePayload { Name = "Screenshot 2026-11-28.png", MimeType = "image/png", Buffer = SampleFiles.PngWithAuthor() });
        await page.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();

        await Expect(page.GetByText("The one outside the Sports Centre.")).ToBeVisibleAsync();
        await Expect(page.GetByText("Files you have sent: evidence-1.jpg, evidence-2.png.")).ToBeVisibleAsync();
        var casePage = await Eventually.GetAsync(() => staff.GetStringAsync($"/cases/{reference}"),
            html => html.Contains("The one outside the Sports Centre.") && html.Contains("evidence-1.jpg") && html.Contains("evidence-2.png"),
            "the reporter's message and files on the case");
        var photo = await staff.GetByteArrayAsync(casePage.Split("href=\"")[1..].First(link => link.Contains("/evidence/")).Split('"')[0]);
        Encoding.ASCII.GetString(photo).ShouldNotContain(SampleFiles.Secret);

        // Leaving quickly also closes the report on this device.
        await page.GetByRole(AriaRole.Link, new() { Name = "Leave this site quickly" }).ClickAsync();
        await Expect(page).ToHaveURLAsync("about:blank");
        await page.GotoAsync("/follow-up");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Follow your report" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AWrongReceiptIsRefused()
    {
        var page = await OpenAsync(harbour, "desktop");
        await page.GotoAsync("/follow-up");
        await page.GetByLabel("Reference").FillAsync("HR-2026-000001");
        await page.GetByLabel("Receipt").FillAsync("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GG");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open my report" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("We could not open a report with that reference and receipt.");
        await Expect(page.GetByLabel("Receipt")).ToHaveValueAsync("");
    }

    [Fact]
    public async Task AMistakeIsExplainedAndWhatWasTypedIsKept()
    {
        var page = await OpenAsync(harbour, "phone");
        await page.GotoAsync("/report");
        await page.GetByLabel("With my name").CheckAsync();
        await page.GetByLabel("What happened?").FillAsync("My supervisor makes remarks about my accent in every meeting.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check your report" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Choose at least one kind of incident.");
        await Expect(page.GetByText("Enter your name so that a case manager can contact you.").First).ToBeVisibleAsync();
        await Expect(page.GetByLabel("What happened?")).ToHaveValueAsync("My supervisor makes remarks about my accent in every meeting.");
        await Expect(page.GetByLabel("With my name")).ToBeCheckedAsync();

        // The summary's link to a question with options lands on its first option, ready to answer.
        await page.GetByRole(AriaRole.Alert).GetByRole(AriaRole.Link, new() { Name = "Choose at least one kind of incident." }).ClickAsync();
        (await page.EvaluateAsync<string>("document.activeElement.name")).ShouldBe("categories");
    }

    [Fact]
    public async Task OnANarrowScreenLongWordsWrapAndAFileTooLargeIsNamedBeforeAnythingIsSent()
    {
        var page = await OpenAsync(harbour, "narrow", javaScript: true);
        await page.GotoAsync("/report");
        var word = new string('w', 400);
        await FillReportAsync(page, "anonymous", $"He wrote {word} on my door.");
        (await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth")).ShouldBeTrue("a long word wraps at 320 px");

        await page.GetByLabel("Add photos, screenshots or documents (optional)").SetInputFilesAsync(
            new FilePayload { Name = "VID_0001.mp4", MimeType = "video/mp4", Buffer = new byte[6 * 1024 * 1024] });
        await page.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();

        await Expect(page.Locator("#evidence-error")).ToHaveTextAsync("\"VID_0001.mp4\" is larger than 5 MB. Attach a smaller file, or leave it out.");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your report" })).ToBeVisibleAsync();
        (await page.EvaluateAsync<string>("document.activeElement.id")).ShouldBe("evidence");
        // With the file left out, the same page sends at once (the check did not leave the form marked as sent).
        await page.GetByLabel("Add photos, screenshots or documents (optional)").SetInputFilesAsync(Array.Empty<FilePayload>());
        await page.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your report has been received" })).ToBeVisibleAsync();
        (await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth")).ShouldBeTrue("the confirmation fits too");
    }

    [Fact]
    public async Task WithJavaScriptTheFormAsksForContactDetailsOnlyWhenTheyAreNeeded()
    {
        var page = await OpenAsync(harbour, "phone", javaScript: true);
        await page.GotoAsync("/report");
        var email = page.GetByLabel("Email address");
        var meeting = page.GetByLabel("In person");

        await Expect(email).ToBeHiddenAsync();
        await page.GetByLabel("With my name").CheckAsync();
        await Expect(email).ToBeVisibleAsync();
        await Expect(meeting).ToBeHiddenAsync();
        await page.GetByLabel("Ask to meet a case manager").CheckAsync();
        await Expect(meeting).ToBeVisibleAsync();
        await page.GetByLabel("Anonymously", new() { Exact = true }).CheckAsync();
        await Expect(email).ToBeHiddenAsync();

        // Something typed is never hidden away.
        await page.GetByLabel("With my name").CheckAsync();
        await email.FillAsync("sam@example.ac.uk");
        await page.GetByLabel("Anonymously", new() { Exact = true }).CheckAsync();
        await Expect(email).ToBeVisibleAsync();
    }

    [Fact]
    public async Task BackFromTheCheckPageReturnsToTheFormAsItWasFilledIn()
    {
        var page = await OpenAsync(harbour, "desktop");
        await page.GotoAsync("/report");
        await FillReportAsync(page, "named", "A lecturer keeps making jokes about my accent.");
        // Links within the page are not Back.
        await page.Locator(".skip-link").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your report" })).ToBeVisibleAsync();
        await page.GoBackAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your report" })).ToBeVisibleAsync();

        await page.GoBackAsync();

        await Expect(page.GetByLabel("What happened?")).ToHaveValueAsync("A lecturer keeps making jokes about my accent.");
        await Expect(page.GetByLabel("With my name")).ToBeCheckedAsync();
        await Expect(page.GetByLabel("Email address")).ToHaveValueAsync("sam@example.ac.uk");
        await Expect(page.GetByLabel("Religion or faith", new() { Exact = true })).ToBeCheckedAsync();
    }

    [Fact]
    public async Task QuickExitLeavesAtOnceAndBackDoesNotReturnToTheForm()
    {
        var page = await OpenAsync(harbour, "phone", javaScript: true);
        await page.GotoAsync("/");
        await page.GotoAsync("/report");
        await page.GetByLabel("What happened?").FillAsync("Something I do not want anyone at home to see.");

        await page.GetByRole(AriaRole.Link, new() { Name = "Leave this site quickly" }).ClickAsync();
        await Expect(page).ToHaveURLAsync("about:blank");
        await page.GoBackAsync();

        page.Url.ShouldBe(new Uri(harbour.Gateway, "/").ToString());
    }

    [Fact]
    public async Task AfterAQuickExitTheCheckPageSentAgainFromThisBrowserShowsNothingThatWasWritten()
    {
        var page = await OpenAsync(harbour, "phone", javaScript: true);
        await page.GotoAsync("/report");
        await FillReportAsync(page, "anonymous", "Words I never want my partner to read.");
        // What the browser keeps to send again if someone goes Back through its history and reloads.
        var fields = await page.EvaluateAsync<string[][]>(
            "[...new FormData(document.querySelector('form[method=post]'))].filter(([, value]) => typeof value === 'string')");

        await page.GetByRole(AriaRole.Link, new() { Name = "Leave this site quickly" }).ClickAsync();
        await Expect(page).ToHaveURLAsync("about:blank");
        await Eventually.GetAsync(() => page.Context.CookiesAsync(), cookies => cookies.Any(c => c.Name == "harbour_left"), "the exit to be recorded");
        var form = page.Context.APIRequest.CreateFormData();
        foreach (var field in fields) form.Append(field[0], field[1]);
        var again = await page.Context.APIRequest.PostAsync("/report", new() { Form = form, MaxRedirects = 0 });

        again.Status.ShouldBe(302);
        again.Headers["location"].ShouldBe("/report?expired");
        (await again.TextAsync()).ShouldNotContain("Words I never want my partner to read.");
    }

    internal static async Task<IPage> OpenAsync(HarbourSystem harbour, string screen, bool? javaScript = null)
    {
        // "narrow": the 320 CSS pixels WCAG 1.4.10 (reflow) asks pages to fit without scrolling sideways.
        var phone = screen is "phone" or "narrow";
        var context = await harbour.Browser.NewContextAsync(new()
        {
            BaseURL = harbour.Gateway.ToString(),
            ViewportSize = screen switch { "phone" => new() { Width = 360, Height = 800 }, "narrow" => new() { Width = 320, Height = 640 }, _ => new() { Width = 1280, Height = 900 } },
            IsMobile = phone,
            HasTouch = phone,
            JavaScriptEnabled = javaScript ?? !phone,
        });
        return await context.NewPageAsync();
    }

    internal static async Task FillReportAsync(IPage page, string kind, string description)
    {
        await page.GetByLabel(kind switch { "named" => "With my name", "meeting" => "Ask to meet a case manager", _ => "Anonymously" }, new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Religion or faith", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("What happened?").FillAsync(description);
        await page.GetByLabel("Where did it happen?").SelectOptionAsync(new SelectOptionValue { Label = "Library" });
        await page.GetByLabel("Or roughly when").FillAsync("last Tuesday");
        await page.GetByLabel("Student", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Someone else: I saw or heard it").CheckAsync();
        if (kind != "anonymous")
        {
            await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Sam Student");
            await page.GetByLabel("Email address").FillAsync("sam@example.ac.uk");
            await page.GetByLabel("I agree that a case manager may contact me about this report").CheckAsync();
        }
        if (kind == "meeting") await page.GetByLabel("Online (video call)").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Check your report" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your report" })).ToBeVisibleAsync();
        await Expect(page.GetByText(description)).ToBeVisibleAsync();
    }
}
