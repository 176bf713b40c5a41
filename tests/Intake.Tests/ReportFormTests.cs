using System.Net;
using System.Text.RegularExpressions;

namespace Harbour.Intake.Tests;

public sealed class ReportFormTests(IntakeFactory intake) : IClassFixture<IntakeFactory>
{
    static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var page = await client.GetStringAsync("/report");
        var form = fields.Append(new("__RequestVerificationToken", StaffSignIn.AntiforgeryTokenIn(page)));
        return await client.PostAsync("/report", new FormUrlEncodedContent(form));
    }

    // Arabic or Hebrew typed into any free-text field reads right to left, with its punctuation on the right side.
    [Fact]
    public async Task EveryFieldForPeoplesOwnWordsFollowsTheirWritingDirection()
    {
        var page = await intake.CreateClient().GetStringAsync("/report");
        var fields = Regex.Matches(page, "<(textarea|input type=\"text\")[^>]*>").Select(m => m.Value).ToList();
        fields.Count.ShouldBeGreaterThanOrEqualTo(5);
        fields.ShouldAllBe(field => field.Contains("dir=\"auto\""));
    }

    [Fact]
    public async Task FormWorksWithoutJavaScriptAndShowsTheReferenceAndReceipt()
    {
        var response = await PostFormAsync(intake.CreateClient(), [
            new("kind", "anonymous"), new("categories", "race"), new("categories", "bullying"),
            new("description", "Pushed and called names in the sports hall."), new("location", "park-campus/sports-centre"),
            new("occurredOn", "2026-01-15"), new("reporterRole", "staff"),
        ]);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("Your report has been received");
        Regex.IsMatch(html, @"id=""reference"">HR-\d{4}-\d{6}<").ShouldBeTrue();
        Regex.IsMatch(html, @"id=""receipt"">([0-9A-Z]{4}-){6}[0-9A-Z]{2}<").ShouldBeTrue();
    }

    [Fact]
    public async Task MistakesAreShownBesideTheFieldsAndWhatWasTypedIsKept()
    {
        var response = await PostFormAsync(intake.CreateClient(), [
            new("kind", "named"), new("description", "It happened on the bus & it was <frightening>."),
            new("location", "online"), new("occurredWhen", "over several months"), new("reporterRole", "student"),
            new("contactEmail", "sam@example"),
        ]);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("There is a problem");
        html.ShouldContain("id=\"categories-error\"");
        html.ShouldContain("id=\"contactName-error\"");
        html.ShouldContain("id=\"contactEmail-error\"");
        html.ShouldContain("It happened on the bus &amp; it was &lt;frightening&gt;.</textarea>");
        html.ShouldContain("value=\"over several months\"");
        html.ShouldContain("value=\"sam@example\"");
        Regex.IsMatch(html, "id=\"kind-named\" value=\"named\" checked").ShouldBeTrue();
    }

    // Each link in the error summary lands on something that takes focus: for a question with options, its first option.
    [Fact]
    public async Task EveryLinkInTheErrorSummaryLandsOnAnElementThatTakesFocus()
    {
        var response = await PostFormAsync(intake.CreateClient(), [new("kind", "meeting"), new("description", "x")]);

        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        var links = page.QuerySelectorAll(".error-summary a").Select(a => a.GetAttribute("href")![1..]).ToList();
        links.ShouldContain(l => l.StartsWith("category-"), "categories lands on its first option");
        links.Count.ShouldBeGreaterThan(4);
        foreach (var id in links)
            page.GetElementById(id).ShouldNotBeNull(id).LocalName.ShouldBeOneOf(["input", "select", "textarea"], id);
    }

    [Fact]
    public async Task TheReporterChecksASummaryBeforeAnythingIsSentAndCanGoBackToChange()
    {
        var client = intake.CreateClient();
        var form = await FilledFormAsync(client, "check");

        var check = await client.PostAsync("/report", form.ToContent());

        check.StatusCode.ShouldBe(HttpStatusCode.OK);
        var summary = await check.Content.ReadAsStringAsync();
        summary.ShouldContain("<h1>Check your report</h1>");
        summary.ShouldContain("<dd dir=\"auto\">My flatmate mocks my hearing aids in front of guests.</dd>");
        summary.ShouldContain("<dd>Park campus: Halls of residence</dd>");
        summary.ShouldContain("<dd>No</dd>");
        summary.ShouldNotContain("id=\"receipt\"");

        var back = HtmlForm.Read(summary);
        back["step"] = "change";
        var changed = await (await client.PostAsync("/report", back.ToContent())).Content.ReadAsStringAsync();
        changed.ShouldContain("<h1>Make a report</h1>");
        changed.ShouldContain("My flatmate mocks my hearing aids in front of guests.</textarea>");
        Regex.IsMatch(changed, "id=\"meetingFormat-in-person\" value=\"in-person\" checked").ShouldBeTrue();

        var send = HtmlForm.Read(summary);
        send["step"] = "send";
        var sent = await (await client.PostAsync("/report", send.ToContent())).Content.ReadAsStringAsync();
        sent.ShouldContain("Your report has been received");

        // Reloading the confirmation sends the same form again: the report is kept once and the receipt not shown again.
        var again = await (await client.PostAsync("/report", send.ToContent())).Content.ReadAsStringAsync();
        again.ShouldContain("This report has already been sent");
        Reference(again).ShouldBe(Reference(sent));
        again.ShouldNotContain("id=\"receipt\"");
        again.ShouldNotContain("hearing aids");

        // Back in the browser, a change, then Send again: the changed report is not the one sent, and is not lost.
        send["description"] = "My flatmate mocks my hearing aids, and now my friends too.";
        var changedAfter = await client.PostAsync("/report", send.ToContent());
        changedAfter.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var notSent = await changedAfter.Content.ReadAsStringAsync();
        notSent.ShouldContain("<h1>Check your report</h1>");
        notSent.ShouldContain("A report was already sent from this page. What is below, with your changes, has not been sent");
        notSent.ShouldNotContain(Reference(sent));
        var asNew = HtmlForm.Read(notSent);
        asNew["submissionId"].ShouldNotBe(send["submissionId"]);
        asNew["step"] = "send";
        var second = await (await client.PostAsync("/report", asNew.ToContent())).Content.ReadAsStringAsync();
        second.ShouldContain("Your report has been received");
        Reference(second).ShouldNotBe(Reference(sent));
    }

    [Fact]
    public async Task AfterAQuickExitAPageSentAgainFromTheHistoryShowsNothingOfIt()
    {
        var client = intake.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var form = await FilledFormAsync(client, "check");
        (await client.PostAsync("/report", form.ToContent())).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await client.GetAsync("/follow-up/exit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var again = await client.PostAsync("/report", form.ToContent());

        again.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        again.Headers.Location!.OriginalString.ShouldBe("/report?expired");
        (await again.Content.ReadAsStringAsync()).ShouldNotContain("hearing aids");
        (await client.GetStringAsync("/report?expired")).ShouldContain("That page is no longer available");
    }

    [Fact]
    public async Task AnotherSiteCannotSendTheReporterThroughTheQuickExitToSpoilTheirReport()
    {
        var client = intake.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var form = await FilledFormAsync(client, "check");
        var exit = new HttpRequestMessage(HttpMethod.Get, "/follow-up/exit");
        exit.Headers.Add("Sec-Fetch-Site", "cross-site");

        (await client.SendAsync(exit)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var check = await client.PostAsync("/report", form.ToContent());

        (await check.Content.ReadAsStringAsync()).ShouldContain("<h1>Check your report</h1>");
    }

    [Fact]
    public async Task AnotherSitesFormGetsNothingBack()
    {
        var form = await FilledFormAsync(intake.CreateClient(), "check");
        var post = new HttpRequestMessage(HttpMethod.Post, "/report") { Content = form.ToContent() };
        post.Headers.Add("Sec-Fetch-Site", "cross-site");

        var response = await intake.CreateClient(new() { AllowAutoRedirect = false }).SendAsync(post);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("hearing aids");
    }

    [Fact]
    public async Task APageOpenTooLongKeepsWhatWasTypedAndSendsNothing()
    {
        var form = await FilledFormAsync(intake.CreateClient(), "send");

        // Another browser, or the same one after a restart: the page's token no longer matches.
        var response = await intake.CreateClient().PostAsync("/report", form.ToContent());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("This page had been open a long time, so nothing was sent.");
        html.ShouldContain("My flatmate mocks my hearing aids in front of guests.</textarea>");
        html.ShouldNotContain("id=\"reference\"");
    }

    static async Task<HtmlForm> FilledFormAsync(HttpClient client, string step)
    {
        var form = HtmlForm.Read(await client.GetStringAsync("/report"));
        form["kind"] = "meeting";
        form["categories"] = "disability";
        form["description"] = "My flatmate mocks my hearing aids in front of guests.";
        form["location"] = "park-campus/halls";
        form["occurredWhen"] = "over several months";
        form["reporterRole"] = "student";
        form["relation"] = "me";
        form["contactName"] = "Alex";
        form["contactPhone"] = "07700 900123";
        form["preferredContact"] = "phone";
        form["safeToLeaveMessage"] = "no";
        form["consentToContact"] = "yes";
        form["meetingFormat"] = "in-person";
        form["step"] = step;
        return form;
    }

    static string Reference(string html) => Regex.Match(html, @"id=""reference"">(HR-\d{4}-\d{6})<").Groups[1].Value;
}
