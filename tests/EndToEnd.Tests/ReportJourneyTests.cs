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
        var reporter = harbour.Visitor();
        var response = await reporter.PostAsJsonAsync("/api/reports", new
        {
            kind = "anonymous",
            categories = new[] { "disability" },
            description = "Leaflets mocking my disability were left on my desk.",
            location = "city-campus/engineering",
            occurredOn = "2026-11-02",
            reporterRole = "student",
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var reference = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString()!;

        var staff = harbour.Visitor();
        (await StaffSignIn.SignInAsync(staff, HarbourSystem.AdminEmail, HarbourSystem.AdminPassword)).SignedIn().ShouldBeTrue();
        var cases = await Eventually.GetAsync(() => staff.GetFromJsonAsync<JsonElement[]>("/api/cases"),
            list => list!.Any(c => c.GetProperty("reference").GetString() == reference), "the case", seconds: 120);
        cases!.Count(c => c.GetProperty("reference").GetString() == reference).ShouldBe(1);
        (await staff.GetStringAsync("/cases")).ShouldContain(reference);

        var emails = await Eventually.GetAsync(() => harbour.Mail.WithSubjectAsync(reference), m => m.Count > 0, "the team email");
        emails.Count.ShouldBe(1);
        emails[0].To.ShouldBe([HarbourSystem.TeamAddress]);
        (await harbour.Mail.PlainTextAsync(emails[0])).ShouldNotContain("Leaflets");

        var summary = await Eventually.GetAsync(() => staff.GetFromJsonAsync<JsonElement>("/api/analytics/summary"),
            s => s.GetProperty("total").GetInt32() > 0, "the analytics count");
        summary.GetProperty("byCategory").EnumerateArray()
            .Single(row => row.GetProperty("value").GetString() == "disability").GetProperty("count").GetInt32().ShouldBe(1);
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
        (await visitor.GetAsync("/api/analytics/summary")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
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
}
