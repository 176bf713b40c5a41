using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Harbour.EndToEnd.Tests;

// A whole case in Chromium, through the gateway: an anonymous report about religion and race arrives; a case manager of
// the Faith and belief team finds it in the queue, takes it, works through the playbook, keeps a note and a task, records
// first contact, talks with the reporter (whose reply shows unread), and closes it with an outcome and a learning summary.
[Collection(HarbourCollection.Name)]
public sealed class CaseBrowserTests(HarbourSystem harbour)
{
    const string Passphrase = "a lamp in every window";

    [Fact]
    public async Task ACaseManagerRunsACaseFromArrivalToClosure()
    {
        var email = await CaseManagerAsync("Faith and belief");

        // The report arrives.
        var reporter = await BrowserTests.OpenAsync(harbour, "phone", javaScript: true);
        await reporter.GotoAsync("/report");
        // By its code: another test renames it ("Race or ethnicity").
        await reporter.Locator("#category-race").CheckAsync();
        await BrowserTests.FillReportAsync(reporter, "anonymous", "Someone wrote on my prayer-room locker and laughed about my accent.");
        await reporter.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();
        var reference = (await reporter.Locator("#reference").TextContentAsync())!;
        var receipt = (await reporter.Locator("#receipt").TextContentAsync())!;

        // The case manager finds it waiting in the queue and takes it.
        var staff = await BrowserTests.OpenAsync(harbour, "desktop");
        await StaffBrowserTests.SignInAsync(staff, email, Passphrase);
        await Eventually.GetAsync(async () => { await staff.GotoAsync("/cases?assignee=none"); return await staff.ContentAsync(); },
            html => html.Contains(reference), "the case in the queue");
        var row = staff.GetByRole(AriaRole.Row).Filter(new() { HasText = reference });
        await Expect(row).ToContainTextAsync("Awaiting assignment");
        await row.GetByRole(AriaRole.Link, new() { Name = reference }).ClickAsync();
        await staff.GetByLabel("Case manager", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Casey Faith (Faith and belief)" });
        await staff.GetByRole(AriaRole.Button, new() { Name = "Assign", Exact = true }).ClickAsync();
        await Expect(staff.GetByText("Assigned to Casey Faith.")).ToBeVisibleAsync();

        // The playbook: two actions done, one skipped with a reason, one made a task.
        var checklist = staff.Locator("ul.checklist > li");
        await checklist.Filter(new() { HasText = "Signpost to the religious case manager" }).GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await checklist.Filter(new() { HasText = "Support, reassure and validate" }).GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        var skip = checklist.Filter(new() { HasText = "Signpost to their tutor" });
        await skip.GetByText("Skip it, or make it a task").ClickAsync();
        await skip.GetByLabel("Why it is skipped").FillAsync("The reporter does not want their tutor involved.");
        await skip.GetByRole(AriaRole.Button, new() { Name = "Skip it" }).ClickAsync();
        var task = checklist.Filter(new() { HasText = "Contact the faculties" });
        await task.GetByText("Skip it, or make it a task").ClickAsync();
        await task.GetByLabel("Due by").FillAsync(DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd"));
        await task.GetByRole(AriaRole.Button, new() { Name = "Make it a task" }).ClickAsync();
        await Expect(staff.Locator("#tasks + table")).ToContainTextAsync("Contact the faculties and the protection staff concerned.");

        // A note, first contact by message, and a question to the reporter.
        await staff.GetByLabel("Internal note (never shown to the reporter)").FillAsync("Estates can check the locker room camera.");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Add the note" }).ClickAsync();
        await staff.GetByLabel("Write to the reporter").FillAsync("Thank you for telling us. Would you like the locker cleaned and moved?");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Send to the reporter" }).ClickAsync();
        var timeline = staff.Locator("ol.timeline");
        await Expect(timeline).ToContainTextAsync("Triage done");
        await Expect(timeline).ToContainTextAsync("First contact done (Message on the follow-up page)");
        await Expect(timeline).ToContainTextAsync("Estates can check the locker room camera.");
        await Expect(timeline).ToContainTextAsync("Skipped: Signpost to their tutor");

        // The reporter answers; the case shows it unread in the queue until it is opened.
        await reporter.GotoAsync("/follow-up");
        await reporter.GetByLabel("Reference").FillAsync(reference);
        await reporter.GetByLabel("Receipt").FillAsync(receipt);
        await reporter.GetByRole(AriaRole.Button, new() { Name = "Open my report" }).ClickAsync();
        // The report is open before the page is reloaded (a reload while the opening form still navigates loses the page).
        await Expect(reporter.GetByRole(AriaRole.Heading, new() { Name = $"Report {reference}" })).ToBeVisibleAsync();
        await Eventually.GetAsync(async () => { await reporter.ReloadAsync(); return await reporter.ContentAsync(); },
            html => html.Contains("Would you like the locker cleaned"), "the case manager's message");
        await reporter.GetByLabel("Write to your case manager").FillAsync("Yes please, and thank you.");
        await reporter.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();
        await Eventually.GetAsync(async () => { await staff.GotoAsync("/cases/my-work"); return await staff.ContentAsync(); },
            html => Regex.IsMatch(html, "<strong>1</strong> with unread messages"), "the reply marked unread");
        await staff.GetByRole(AriaRole.Link, new() { Name = reference }).First.ClickAsync();
        await Expect(staff.Locator("ol.conversation")).ToContainTextAsync("Yes please, and thank you.");
        await staff.GotoAsync("/cases/my-work");
        await Expect(staff.GetByText("0 with unread messages")).ToBeVisibleAsync();

        // Closed with an outcome and a learning summary.
        await staff.GetByRole(AriaRole.Link, new() { Name = reference }).First.ClickAsync();
        await staff.GetByLabel("Outcome").SelectOptionAsync(new SelectOptionValue { Label = "Resolved informally" });
        await staff.GetByLabel(new Regex("^Learning summary")).FillAsync("Acting on the same day and asking the reporter first helped.");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Close the case" }).ClickAsync();
        await Expect(staff.GetByText("with the outcome Resolved informally")).ToBeVisibleAsync();
        await Expect(staff.Locator("ol.timeline")).ToContainTextAsync("Closed: Resolved informally");
    }

    // A case manager of a team, set up as an admin would: invited, joined from the emailed link.
    // The seed's anonymous report: verbal abuse in a building; security is told the minimum, with nothing of the reporter's own
    // words, and acknowledges through the link in its email; the case shows it at a glance.
    [Fact]
    public async Task SecurityIsInformedOfAnAnonymousReportAndItsAcknowledgementReachesTheCase()
    {
        var email = await CaseManagerAsync("Equality and inclusion");
        var report = await harbour.Visitor().PostAsJsonAsync("/api/reports", new
        {
            kind = "anonymous", categories = new[] { "race" }, description = "WORDS-OF-THE-REPORTER: a student shouted abuse at me in the library foyer.",
            location = "city-campus/library", occurredWhen = "Tuesday evening", reporterRole = "student",
        });
        var reference = (await report.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("reference").GetString()!;

        var staff = await BrowserTests.OpenAsync(harbour, "desktop");
        await StaffBrowserTests.SignInAsync(staff, email, Passphrase);
        await Eventually.GetAsync(async () => (await staff.GotoAsync($"/cases/{reference}"))!.Status, status => status == 200, "the case to open");
        await staff.GetByRole(AriaRole.Link, new() { Name = "Inform a department" }).ClickAsync();
        await staff.GetByLabel("Which department?").SelectOptionAsync(new SelectOptionValue { Label = "Campus Security (security@northgate.example)" });
        await staff.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(staff.GetByLabel("What they need to know, and what you ask of them")).ToHaveValueAsync(new Regex($"A report \\({reference}\\) concerns"));
        await staff.GetByRole(AriaRole.Button, new() { Name = "Check the email" }).ClickAsync();
        await Expect(staff.Locator("pre.email-preview")).ToContainTextAsync("Please increase patrols");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Send to Campus Security" }).ClickAsync();
        await Expect(staff.GetByRole(AriaRole.Status)).ToContainTextAsync("Sent.");

        const string Security = "security@northgate.example";
        var sent = await Eventually.GetAsync(async () => (await harbour.Mail.WithSubjectAsync(reference)).Where(m => m.To.Contains(Security)).ToList(),
            m => m.Count > 0, "the alert email");
        sent.ShouldHaveSingleItem();
        var text = await harbour.Mail.PlainTextAsync(sent[0]);
        text.ShouldNotContain("WORDS-OF-THE-REPORTER");
        var link = new Regex(@"http://localhost:\d+/acknowledge/[A-Za-z0-9_-]{43}").Match(text).Value;

        // Someone in security, on a phone, with no account.
        var security = await BrowserTests.OpenAsync(harbour, "phone");
        await security.GotoAsync(new Uri(link).PathAndQuery);
        await security.GetByRole(AriaRole.Button, new() { Name = "I have read the alert" }).ClickAsync();
        await Expect(security.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Thank you: acknowledged");
        await security.GotoAsync(new Uri(link).PathAndQuery);
        await Expect(security.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Already acknowledged");

        await Eventually.GetAsync(async () => { await staff.GotoAsync($"/cases/{reference}"); return await staff.Locator("table.alerts").TextContentAsync(); },
            table => table?.Contains("Acknowledged") == true, "the acknowledgement on the case");
        await Expect(staff.Locator("ol.timeline")).ToContainTextAsync("Campus Security acknowledged the alert (through the link in the email)");
        await Expect(staff.Locator("ol.timeline")).ToContainTextAsync("The alert to Campus Security reached their mail server");
    }

    // A message sent to the reporter by mistake names someone: the case manager who has the case redacts it for good, the
    // reporter's page says it was removed, and the summary printed for a meeting leaves it out. Admins see the emails sent.
    [Fact]
    public async Task AMessageSentInErrorIsRedactedEverywhereAndThePrintedSummaryLeavesItOut()
    {
        // A name of their own: other tests' case managers are in the same team.
        var email = await CaseManagerAsync("Equality and inclusion", "Robin Reyes");
        var report = await (await harbour.Visitor().PostAsJsonAsync("/api/reports", new
        {
            kind = "anonymous", categories = new[] { "race" }, description = "Someone spat at me at the bus stop outside the sports hall.",
            location = "park-campus/sports-centre", occurredWhen = "Monday morning", reporterRole = "student",
        })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var (reference, receipt) = (report.GetProperty("reference").GetString()!, report.GetProperty("receipt").GetString()!);

        var staff = await BrowserTests.OpenAsync(harbour, "desktop");
        await StaffBrowserTests.SignInAsync(staff, email, Passphrase);
        await Eventually.GetAsync(async () => (await staff.GotoAsync($"/cases/{reference}"))!.Status, status => status == 200, "the case to open");
        await staff.GetByLabel("Case manager", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Robin Reyes (Equality and inclusion)" });
        await staff.GetByRole(AriaRole.Button, new() { Name = "Assign", Exact = true }).ClickAsync();
        await Expect(staff.GetByText("Assigned to Robin Reyes.")).ToBeVisibleAsync();
        await staff.GetByLabel("Write to the reporter").FillAsync("SENT-IN-ERROR: we spoke to Jordan Blake about this.");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Send to the reporter" }).ClickAsync();
        var reporter = harbour.Visitor();
        reporter.DefaultRequestHeaders.Add("Receipt", receipt);
        await Eventually.GetAsync(() => reporter.GetStringAsync($"/api/reports/{reference}/messages"), m => m.Contains("SENT-IN-ERROR"), "the message on the reporter's side");

        await staff.GetByRole(AriaRole.Link, new() { Name = "Redact part of this case" }).ClickAsync();
        await staff.Locator("label.choice", new() { HasText = "SENT-IN-ERROR" }).GetByRole(AriaRole.Radio).CheckAsync();
        await staff.GetByLabel(new Regex("^Why")).FillAsync("Sent to the wrong case.");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Redact for good" }).ClickAsync();
        await Expect(staff.Locator("#confirm-error")).ToContainTextAsync("Tick the box to confirm");
        await Expect(staff.GetByLabel(new Regex("^Why"))).ToHaveValueAsync("Sent to the wrong case.");
        await staff.GetByLabel("I understand that what I redact cannot be brought back").CheckAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "Redact for good" }).ClickAsync();
        await Expect(staff.GetByRole(AriaRole.Status)).ToContainTextAsync("Redacted.");
        await Expect(staff.Locator("ol.timeline")).ToContainTextAsync("Redacted a message to the reporter");
        (await staff.ContentAsync()).ShouldNotContain("SENT-IN-ERROR");
        var messages = await Eventually.GetAsync(() => reporter.GetStringAsync($"/api/reports/{reference}/messages"), m => !m.Contains("SENT-IN-ERROR"),
            "the reporter's copy removed");
        messages.ShouldContain("removedAt");

        await staff.GetByRole(AriaRole.Link, new() { Name = "Print a summary" }).ClickAsync();
        await Expect(staff.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Case {reference}: summary");
        await Expect(staff.Locator("main")).ToContainTextAsync("Someone spat at me at the bus stop");
        (await staff.ContentAsync()).ShouldNotContain("SENT-IN-ERROR");

        // The delivery log, through the gateway, on notifications: admins only.
        var admin = await harbour.SignedInStaffAsync();
        var log = await admin.GetStringAsync("/notifications/deliveries");
        log.ShouldContain("Staff invitation");
        log.ShouldContain(email);
        (await staff.GotoAsync("/notifications/deliveries"))!.Status.ShouldBe(403);
    }

    async Task<string> CaseManagerAsync(string team, string name = "Casey Faith")
    {
        var admin = await harbour.SignedInStaffAsync();
        var email = $"casey-{Guid.NewGuid():N}@harbour.test";
        (await admin.PostAsJsonAsync("/api/staff/invitations", new { email, displayName = name, roles = new[] { "CaseManager" }, teams = new[] { team } }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var invitation = await Eventually.GetAsync(async () => (await harbour.Mail.WithSubjectAsync("Your invitation to Harbour")).Where(m => m.To.Contains(email)).ToList(),
            m => m.Count > 0, "the invitation email");
        var link = StaffBrowserTests.InvitationLink().Match(await harbour.Mail.PlainTextAsync(invitation[0])).Value;
        var joining = harbour.Visitor();
        var form = HtmlForm.Read(await joining.GetStringAsync(link), "form");
        form["passphrase"] = Passphrase;
        form["again"] = Passphrase;
        (await joining.PostAsync(link, form.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return email;
    }
}
