using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Harbour.EndToEnd.Tests;

[Collection(HarbourCollection.Name)]
public sealed class ReportJourneyTests(HarbourSystem harbour)
{
    [Fact]
    public async Task AReportThroughTheGatewayBecomesOneCaseOneTeamEmailAndOneCount()
    {
        var started = DateTimeOffset.UtcNow.AddSeconds(-5);
        var reporter = harbour.Visitor();
        var response = await reporter.PostAsJsonAsync("/api/reports", new
        {
            kind = "anonymous",
            categories = new[] { "disability" },
            description = "Leaflets mocking my disability were left on my desk.",
            location = "city-campus/engineering",
            occurredOn = "2026-11-02",
            reporterRole = "student",
            relation = "on-behalf",
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var reference = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString()!;

        var staff = harbour.Visitor();
        (await StaffSignIn.SignInAsync(staff, HarbourSystem.AdminEmail, HarbourSystem.AdminPassword)).SignedIn().ShouldBeTrue();
        var cases = await Eventually.GetAsync(() => staff.GetFromJsonAsync<JsonElement[]>("/api/cases"),
            list => list!.Any(c => c.GetProperty("reference").GetString() == reference), "the case", seconds: 120);
        cases!.Count(c => c.GetProperty("reference").GetString() == reference).ShouldBe(1);
        (await staff.GetStringAsync("/cases")).ShouldContain(reference);

        // References start again with each system's database; the mail catcher keeps earlier runs' emails.
        var emails = (await Eventually.GetAsync(() => harbour.Mail.WithSubjectAsync(reference), m => m.Any(e => e.ReceivedDate >= started), "the team email"))
            .Where(e => e.ReceivedDate >= started).ToList();
        emails.Count.ShouldBe(1);
        emails[0].To.ShouldBe([HarbourSystem.TeamAddress]);
        (await harbour.Mail.PlainTextAsync(emails[0])).ShouldNotContain("Leaflets");

        // The admin's unrounded figures: one report is shown as 0 in the published ones.
        var figures = await Eventually.GetAsync(() => staff.GetFromJsonAsync<JsonElement>("/api/analytics/figures?unrounded=true"),
            f => f.GetProperty("reports").GetInt32() > 0, "the analytics count");
        Row(figures, "categories", "disability").GetProperty("cells")[0].GetString().ShouldBe("1");
        Row(figures, "relations", "on-behalf").GetProperty("cells")[0].GetString().ShouldBe("1", "who it happened to travels in the clear, for counting");
    }

    // A report worked through cases (assigned, first contact made, referred, closed with an outcome) is counted by analytics
    // with its response steps, its referral's uptake and its outcome; an Analyst, invited and signed in as a person would be,
    // reads every page, table and file of the figures and finds nothing of the case, and is refused the case itself.
    [Fact]
    public async Task ACaseWorkedThroughIsCountedAndAnAnalystSeesNothingOfIt()
    {
        var narrative = $"Zephyrine{Guid.NewGuid():N} shouted slurs at me outside the library.";
        var staff = await harbour.SignedInStaffAsync();
        const string figuresUrl = "/api/analytics/figures?unrounded=true";
        var before = await staff.GetFromJsonAsync<JsonElement>(figuresUrl);
        var submitted = await harbour.Visitor().PostAsJsonAsync("/api/reports", new
        {
            kind = "anonymous", categories = new[] { "race" }, description = narrative, location = "city-campus/library",
            occurredOn = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd"), reporterRole = "student", relation = "me",
        });
        submitted.StatusCode.ShouldBe(HttpStatusCode.Created);
        var reference = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString()!;
        await Eventually.GetAsync(() => staff.GetAsync($"/api/cases/{reference}"), r => r.IsSuccessStatusCode, "the case", seconds: 120);

        var adminId = (await staff.GetFromJsonAsync<JsonElement>("/api/staff")).EnumerateArray()
            .Single(a => a.GetProperty("email").GetString() == HarbourSystem.AdminEmail).GetProperty("id").GetString();
        (await staff.PostAsJsonAsync($"/api/cases/{reference}/assignment", new { assigneeId = adminId })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await staff.PostAsJsonAsync($"/api/cases/{reference}/steps/first-contact", new { how = "message" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var referralId = Guid.CreateVersion7();
        (await staff.PostAsJsonAsync($"/api/cases/{reference}/referrals", new { referralId, serviceId = "counselling", how = "signpost" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await staff.PostAsJsonAsync($"/api/cases/{reference}/referrals/{referralId}/uptake", new { uptake = "taken-up" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await staff.PostAsJsonAsync($"/api/cases/{reference}/closure", new { outcome = "resolved-informally", learningSummary = "Early contact helped." }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);

        static int Count(JsonElement figures, string table, string key) =>
            Row(figures, table, key) is { ValueKind: JsonValueKind.Object } row ? int.Parse(row.GetProperty("cells")[0].GetString()!) : 0;
        var after = await Eventually.GetAsync(() => staff.GetFromJsonAsync<JsonElement>(figuresUrl),
            f => Count(f, "outcomes", "resolved-informally") > Count(before, "outcomes", "resolved-informally")
                && Count(f, "referrals", "counselling") > Count(before, "referrals", "counselling"), "the closure and the referral counted", seconds: 120);
        Count(after, "outcomes", "resolved-informally").ShouldBe(Count(before, "outcomes", "resolved-informally") + 1);
        Count(after, "referrals", "counselling").ShouldBe(Count(before, "referrals", "counselling") + 1);
        Count(after, "response", "triage").ShouldBe(Count(before, "response", "triage") + 1, "the triage step counted with the closure");
        Count(after, "response", "first-contact").ShouldBe(Count(before, "response", "first-contact") + 1);
        Count(after, "categories", "race").ShouldBeGreaterThan(Count(before, "categories", "race"));

        // An Analyst joins by their invitation and signs in with a second factor.
        var email = $"analyst-{Guid.NewGuid():N}@harbour.test";
        (await staff.PostAsJsonAsync("/api/staff/invitations", new { email, displayName = "Ana Lyst", roles = new[] { "Analyst" }, teams = Array.Empty<string>() }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var invitation = await Eventually.GetAsync(async () => (await harbour.Mail.WithSubjectAsync("Your invitation to Harbour")).Where(m => m.To.Contains(email)).ToList(),
            m => m.Count > 0, "the invitation email", seconds: 120);
        var link = StaffBrowserTests.InvitationLink().Match(await harbour.Mail.PlainTextAsync(invitation[0])).Value;
        var analyst = harbour.Visitor();
        var join = HtmlForm.Read(await analyst.GetStringAsync(link));
        join["passphrase"] = join["again"] = HarbourSystem.AdminPassword;
        (await analyst.PostAsync(link, join.ToContent())).Headers.Location?.ToString().ShouldBe("/cases/sign-in?joined=1");
        (await StaffSignIn.SignInAsync(analyst, email, HarbourSystem.AdminPassword)).SignedIn().ShouldBeTrue();

        string[] pages = ["/analytics", "/analytics/where-and-when", "/analytics/response", "/analytics/support", "/analytics/learning",
            "/analytics/annual-report", "/api/analytics/figures",
            .. new[] { "categories", "places", "outcomes", "referrals", "response" }.Select(table => $"/analytics/tables/{table}.csv")];
        foreach (var page in pages)
        {
            var answer = await analyst.GetAsync(page);
            answer.StatusCode.ShouldBe(HttpStatusCode.OK, page);
            var text = await answer.Content.ReadAsStringAsync();
            text.ShouldNotContain(reference, Case.Insensitive, page);
            text.ShouldNotContain(narrative.Split(' ')[0], Case.Insensitive, page);
        }
        (await analyst.GetAsync("/api/analytics/figures?unrounded=true")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "unrounded figures are for Admins");
        foreach (var casePage in new[] { "/api/cases", $"/api/cases/{reference}", "/cases", $"/cases/{reference}", "/cases/my-work" })
            (await analyst.GetAsync(casePage)).StatusCode.ShouldBeOneOf([HttpStatusCode.Forbidden, HttpStatusCode.NotFound], casePage);
    }

    [Fact]
    public async Task ABadReportGetsA400NamingTheField()
    {
        var response = await harbour.Visitor().PostAsJsonAsync("/api/reports", new
        {
            kind = "anonymous", categories = new[] { "race" }, description = "Abuse in the car park.",
            location = "somewhere else entirely", occurredWhen = "yesterday", reporterRole = "student",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).ShouldBe(["location"]);
    }

    [Fact]
    public async Task StaffDataRefusesAnAnonymousCaller()
    {
        var visitor = harbour.Visitor();

        (await visitor.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await visitor.GetAsync("/api/analytics/figures")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var page = await visitor.GetAsync("/cases");
        page.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page.Headers.Location!.ToString().ShouldStartWith("/cases/sign-in");
    }

    [Fact]
    public async Task ThePublicFormIsServedThroughTheGateway()
    {
        var visitor = harbour.Visitor();

        (await visitor.GetStringAsync("/")).ShouldContain("href=\"/report\"");
        (await visitor.GetStringAsync("/report")).ShouldContain("What kind of incident was it?");
        (await visitor.GetAsync("/assets/site.css")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    // A report made by phone is recorded by a case manager: intake keeps it like any other, the case manager gets the reference
    // and the receipt to pass on, the case opens with its channel, and the steering group's figures count it by channel.
    [Fact]
    public async Task ADisclosureByPhoneBecomesACaseCountedByItsChannel()
    {
        var staff = await harbour.SignedInStaffAsync();
        var id = Guid.CreateVersion7();
        var report = new
        {
            kind = "named", categories = new[] { "gender-identity" }, description = "Misgendered on purpose at the reception desk, told to me on the phone.",
            location = "city-campus/library", occurredWhen = "yesterday", reporterRole = "staff", contactName = "Pat Reed", contactPhone = "07700 900123",
            preferredContact = "phone", consentToContact = "yes",
        };
        (await staff.PostAsJsonAsync("/api/cases/disclosures", new { disclosureId = id, channel = "phone", report })).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var kept = await Eventually.GetAsync(() => staff.GetFromJsonAsync<JsonElement>($"/api/cases/disclosures/{id}"),
            d => d.GetProperty("status").GetString() == "accepted", "the disclosure kept", seconds: 120);
        var reference = kept.GetProperty("reference").GetString()!;
        var receipt = kept.GetProperty("receipt").GetString()!;
        receipt.ShouldNotBeNullOrWhiteSpace();
        (await staff.GetFromJsonAsync<JsonElement>($"/api/cases/disclosures/{id}")).GetProperty("receipt").ValueKind.ShouldBe(JsonValueKind.Null, "shown once");
        var opened = await Eventually.GetAsync(() => staff.GetAsync($"/api/cases/{reference}"), r => r.IsSuccessStatusCode, "the case", seconds: 120);
        (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary").GetProperty("channel").GetString().ShouldBe("phone");
        var figures = await Eventually.GetAsync(() => staff.GetFromJsonAsync<JsonElement>("/api/analytics/figures?unrounded=true"),
            f => Row(f, "channels", "phone").ValueKind == JsonValueKind.Object, "the count by channel", seconds: 120);
        Row(figures, "channels", "phone").GetProperty("label").GetString().ShouldBe("By phone, recorded by staff");

        // The reporter can follow it online with what they were given.
        using var follow = new HttpRequestMessage(HttpMethod.Get, $"/api/reports/{reference}");
        follow.Headers.Add("Receipt", receipt);
        (await harbour.Visitor().SendAsync(follow)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // A report missing what every report needs comes back with the problem, nothing kept.
        var refusedId = Guid.CreateVersion7();
        (await staff.PostAsJsonAsync("/api/cases/disclosures", new { disclosureId = refusedId, channel = "in-person", report = new { report.kind, report.categories, description = "", report.location, report.occurredWhen, report.reporterRole, report.contactName,
            report.contactPhone, report.preferredContact, report.consentToContact } }))
            .StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var refused = await Eventually.GetAsync(() => staff.GetFromJsonAsync<JsonElement>($"/api/cases/disclosures/{refusedId}"),
            d => d.GetProperty("status").GetString() == "refused", "the refusal", seconds: 120);
        refused.GetProperty("problems").TryGetProperty("description", out _).ShouldBeTrue();
        (await staff.GetStringAsync($"/cases/disclosures/{refusedId}")).ShouldContain("Pat Reed");
    }

    // One row of one table of the figures (GET /api/analytics/figures), or an undefined element when there is none.
    static JsonElement Row(JsonElement figures, string table, string key) =>
        new[] { "overview", "whereAndWhen", "response", "support" }.SelectMany(section => figures.GetProperty(section).EnumerateArray())
            .Single(t => t.GetProperty("id").GetString() == table).GetProperty("rows").EnumerateArray()
            .FirstOrDefault(row => row.GetProperty("key").GetString() == key);
}
