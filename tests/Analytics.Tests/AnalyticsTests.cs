using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Harbour.Analytics.Figures;
using Harbour.Contracts;
using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Analytics.Tests;

public sealed class AnalyticsFactory : ServiceFactory<Program>
{
    public AnalyticsFactory() : base("analyticsdb") { }

    protected override void ConfigureWebHost(IWebHostBuilder builder) => base.ConfigureWebHost(builder.TrustTestStaffTokens());

    public HttpClient SignedIn(string role, Guid? session = null) => Services.AsRole(CreateClient(), role, session);

    // The figures of one calendar year, as the API gives them (published, or true counts for an admin).
    public async Task<JsonElement> FiguresAsync(int year, bool unrounded = false, string role = StaffRoles.Admin, string more = "") =>
        await SignedIn(role).GetFromJsonAsync<JsonElement>($"/api/analytics/figures?from={year}-01-01&to={year}-12-31{(unrounded ? "&unrounded=true" : "")}{more}");
}

// Reading the figures as the API gives them.
public static class FigureJson
{
    public static JsonElement Table(this JsonElement figures, string id) =>
        new[] { "overview", "whereAndWhen", "response", "support" }.SelectMany(section => figures.GetProperty(section).EnumerateArray())
            .Single(t => t.GetProperty("id").GetString() == id);

    // Each row's key and its cells as shown.
    public static Dictionary<string, string[]> Rows(this JsonElement figures, string table) =>
        figures.Table(table).GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!,
            r => r.GetProperty("cells").EnumerateArray().Select(c => c.GetString()!).ToArray());
}

public sealed class AnalyticsTests(AnalyticsFactory analytics) : IClassFixture<AnalyticsFactory>
{
    // Each test makes its reports in its own year, so that the others' do not change its figures.
    internal static ReportSubmitted In(int year, int month, string category = "race", string location = "city-campus/library") =>
        Reports.Submitted(categories: [category]) with { Location = location, SubmittedAt = new DateTimeOffset(year, month, 14, 10, 0, 0, TimeSpan.Zero) };

    internal static CaseClosed Closed(ReportSubmitted report, string outcome, int triageDays, int? firstContactDays, string? learning = null,
        params string[] tags) =>
        new(Guid.NewGuid(), report.ReportId, outcome, report.Kind, report.Categories, report.Location, report.SubmittedAt,
            [new StepMet(ResponseSteps.Triage, DateOnly.FromDateTime(report.SubmittedAt.UtcDateTime).AddDays(2), report.SubmittedAt.AddDays(triageDays)),
             new StepMet(ResponseSteps.FirstContact, DateOnly.FromDateTime(report.SubmittedAt.UtcDateTime).AddDays(5),
                 firstContactDays is { } d ? report.SubmittedAt.AddDays(d) : null)],
            learning is null ? null : TestLearning.Sealer.Seal(learning), report.SubmittedAt.AddDays(30), tags);

    [Fact]
    public async Task ATokenWhoseSessionCasesEndedIsRefused()
    {
        var session = Guid.NewGuid();
        var analyst = analytics.SignedIn(StaffRoles.Analyst, session);
        (await analyst.GetAsync("/api/analytics/figures")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await analytics.Services.GetRequiredService<IBus>().Publish(new StaffSessionEnded(session, "signed out", DateTimeOffset.UtcNow));

        await Eventually.GetAsync(async () => (await analyst.GetAsync("/api/analytics/figures")).StatusCode, s => s == HttpStatusCode.Unauthorized,
            "the ended session's token to be refused");
        (await analytics.SignedIn(StaffRoles.Analyst).GetAsync("/api/analytics/figures")).StatusCode.ShouldBe(HttpStatusCode.OK, "other sessions go on");
    }

    [Fact]
    public async Task ReportsAreCountedOnceWhateverIsRedelivered()
    {
        var first = In(2021, 3, "disability") with { Categories = ["disability", "bullying"] };
        var second = In(2021, 4, "disability") with { Kind = "named" };
        var before = analytics.Consumed.Consumed;

        await Task.WhenAll(analytics.PublishAsync(first), analytics.PublishAsync(first), analytics.PublishAsync(second));
        await analytics.Consumed.WaitForAsync(before + 3, "three deliveries to be consumed");
        await analytics.PublishAsync(second);
        await analytics.Consumed.WaitForAsync(before + 4, "a late redelivery to be consumed");

        var figures = await analytics.FiguresAsync(2021, unrounded: true);
        figures.GetProperty("reports").GetInt32().ShouldBe(2);
        figures.Rows("categories")["disability"][0].ShouldBe("2");
        figures.Rows("categories")["bullying"][0].ShouldBe("1");
        figures.Rows("kinds").ToDictionary(r => r.Key, r => r.Value[0]).ShouldBe(new Dictionary<string, string> { ["anonymous"] = "1", ["named"] = "1", ["meeting"] = "0" });
        figures.Rows("months").Keys.ShouldBe([.. Enumerable.Range(1, 12).Select(m => $"2021-{m:00}")], ignoreOrder: false, "every month of the period, even at 0");
        figures.Rows("months").Where(m => m.Value[0] == "1").Select(m => m.Key).ShouldBe(["2021-03", "2021-04"]);
        figures.Rows("weekdays").Keys.ShouldBe(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]);
        figures.Rows("weekdays").Where(d => d.Value[0] == "1").Select(d => d.Key).ShouldBe(["wednesday", "sunday"], "14 March 2021 was a Sunday, 14 April a Wednesday");
        figures.Table("weekdays").GetProperty("rows")[0].GetProperty("label").GetString().ShouldBe("Monday");
    }

    [Fact]
    public async Task PublishedFiguresAreRoundedAndSuppressedAndOnlyAnAdminSeesTheTrueCounts()
    {
        var reports = Enumerable.Range(0, 21).Select(_ => In(2022, 5)).Append(In(2022, 5, "disability")).Append(In(2022, 6, "disability")).ToList();
        await Task.WhenAll(reports.Select(analytics.PublishAsync));
        await Eventually.GetAsync(() => analytics.FiguresAsync(2022, unrounded: true), f => f.GetProperty("reports").GetInt32() == 23, "23 reports counted");

        var published = await analytics.FiguresAsync(2022, role: StaffRoles.Analyst);
        published.Rows("categories")["race"].ShouldBe(["20", "80%"], "21 rounds to 20, and 20 of 25 is 80%");
        published.Rows("categories")["disability"].ShouldBe(["0", "suppressed"]);
        published.Rows("categories")["stalking"].ShouldBe(["0", "suppressed"], "a category nobody reported is listed as one reported once or twice is");
        published.GetProperty("reports").GetInt32().ShouldBe(25, "no true count reaches an Analyst");
        published.Rows("categories").Keys.Skip(1).ShouldBe([.. DefaultProfile.Value.Categories.Select(c => c.Id).Where(id => id != "race")],
            ignoreOrder: false, "rows shown alike keep the profile's order: disability's 2 does not lift it above a 0");
        published.Table("categories").GetProperty("total").GetProperty("cells")[0].GetString().ShouldBe("25");
        published.Table("categories").GetProperty("unrounded").GetBoolean().ShouldBeFalse();

        (await analytics.SignedIn(StaffRoles.Analyst).GetAsync("/api/analytics/figures?unrounded=true")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var analystPage = await analytics.SignedIn(StaffRoles.Analyst).GetAsync("/analytics?unrounded=true");
        analystPage.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await analystPage.Content.ReadAsStringAsync()).ShouldNotContain("race", Case.Insensitive);

        var truth = await analytics.FiguresAsync(2022, unrounded: true);
        truth.Rows("categories")["race"].ShouldBe(["21", "91%"]);
        truth.Rows("categories")["disability"].ShouldBe(["2", "9%"]);
        var page = await analytics.SignedIn(StaffRoles.Admin).GetStringAsync("/analytics?from=2022-01-01&to=2022-12-31&unrounded=true");
        page.ShouldContain("Unrounded figures, for Admins only: not for publication.");
    }

    [Fact]
    public async Task ClosuresGiveResponseTimesOutcomesAndLearningWhileTheyStand()
    {
        var reports = Enumerable.Range(0, 8).Select(i => In(2023, 2 + i % 3)).ToList();
        await Task.WhenAll(reports.Select(analytics.PublishAsync));
        // Triage in 1 day for six, in 3 (late) for two; first contact in 4 days for seven, never for one.
        var closures = reports.Select((r, i) => Closed(r, i < 6 ? "resolved-informally" : "no-further-action", i < 6 ? 1 : 3, i == 7 ? null : 4,
            i == 0 ? "Talking to the hall warden early helped the student feel safe." : i < 5 ? $"Learning number {i}." : null,
            i < 3 ? "halls" : "online")).ToList();
        // One as cases published closures before summaries were sealed: its summary in clear.
        closures[4] = closures[4] with { SealedLearningSummary = null, LearningSummary = "Learning number 4." };
        foreach (var closure in closures) await analytics.PublishAsync(closure);
        await analytics.PublishAsync(closures[0]);

        var figures = await Eventually.GetAsync(() => analytics.FiguresAsync(2023, unrounded: true),
            f => f.Rows("outcomes").Values.Sum(cells => int.Parse(cells[0])) == 8, "eight closures counted");
        figures.Rows("response")["triage"].ShouldBe(["8", "75%", "1.0", "3.0"]);
        figures.Rows("response")["first-contact"].ShouldBe(["8", "88%", "4.0", "4.0"]);
        figures.Rows("outcomes")["resolved-informally"][0].ShouldBe("6");
        figures.Rows("themes")["online"][0].ShouldBe("5");

        // Published: eight cases allow a median; a share of 8 does not.
        var published = await analytics.FiguresAsync(2023, role: StaffRoles.Analyst);
        published.Rows("response")["triage"].ShouldBe(["10", "suppressed", "1.0", "3.0"]);

        var learning = await analytics.SignedIn(StaffRoles.Analyst).GetStringAsync("/analytics/learning?from=2023-01-01&to=2023-12-31");
        learning.ShouldContain("Talking to the hall warden early helped the student feel safe.");
        learning.ShouldContain("Learning number 4.");
        learning.ShouldContain("dir=\"auto\"");

        // Reopened, the first case's closure no longer stands: its outcome and its learning leave the figures, and four
        // summaries are too few to list.
        await analytics.PublishAsync(new CaseReopened(reports[0].ReportId, closures[0].ClosedAt.AddDays(1)));
        await Eventually.GetAsync(() => analytics.FiguresAsync(2023, unrounded: true),
            f => f.Rows("outcomes").GetValueOrDefault("resolved-informally")?[0] == "5", "the reopened case's outcome to leave");
        var fewer = await analytics.SignedIn(StaffRoles.Analyst).GetStringAsync("/analytics/learning?from=2023-01-01&to=2023-12-31");
        fewer.ShouldNotContain("hall warden");
        fewer.ShouldNotContain("Learning number");
        fewer.ShouldContain("Fewer than 5 learning summaries with these filters");
    }

    [Fact]
    public async Task WhoItHappenedToWhenItHappenedOpenCasesMissedDeadlinesDepartmentsAndMeetingsAreCounted()
    {
        var reports = new[]
        {
            In(2017, 3) with { Relation = "me", OccurredIn = "2017-02" },
            In(2017, 3) with { Relation = "witnessed", OccurredIn = "2016-12" },
            In(2017, 4),
        };
        DateTimeOffset On(int month, int day) => new(2017, month, day, 10, 0, 0, TimeSpan.Zero);
        var (acknowledged, unacknowledged) = (Guid.NewGuid(), Guid.NewGuid());
        var before = analytics.Consumed.Consumed;
        await Task.WhenAll(reports.Select(analytics.PublishAsync));
        // The acknowledgement before the alert it answers: events may come in any order.
        await analytics.PublishAsync(new DepartmentAlertAcknowledged(acknowledged, On(3, 17)));
        await Task.WhenAll(
            analytics.PublishAsync(Closed(reports[2], "resolved-informally", 1, 2)),
            analytics.PublishAsync(new DepartmentInformed(acknowledged, reports[0].ReportId, "campus-security", On(3, 15), new(2017, 3, 16))),
            analytics.PublishAsync(new DepartmentInformed(unacknowledged, reports[1].ReportId, "campus-security", On(3, 15), new(2017, 3, 16))),
            analytics.PublishAsync(new DeadlineMissed(reports[0].ReportId, ResponseSteps.Triage, new(2017, 3, 16))),
            analytics.PublishAsync(new DeadlineMissed(reports[1].ReportId, ResponseSteps.FirstContact, new(2017, 4, 3))),
            analytics.PublishAsync(new MeetingRecorded(Guid.NewGuid(), reports[0].ReportId, true, "online", On(3, 20))),
            analytics.PublishAsync(new MeetingRecorded(Guid.NewGuid(), reports[1].ReportId, false, "in-person", On(3, 21))));
        await analytics.Consumed.WaitForAsync(before + 3, "the reports to be consumed");

        static int Sum(JsonElement figures, string table) => figures.Rows(table).Values.Sum(cells => int.Parse(cells[0]));
        var figures = await Eventually.GetAsync(() => analytics.FiguresAsync(2017, unrounded: true),
            f => Sum(f, "meetings") == 2 && Sum(f, "breaches") == 2 && Sum(f, "open-ages") == 2 && f.Rows("departments").GetValueOrDefault("campus-security")?[1] == "50%",
            "every event to be counted");
        figures.Rows("relations").ToDictionary(r => r.Key, r => r.Value[0])
            .ShouldBe(new Dictionary<string, string> { ["me"] = "1", ["witnessed"] = "1", ["on-behalf"] = "0", ["not-said"] = "1" }, ignoreOrder: true);
        figures.Rows("occurred").Where(r => r.Value[0] != "0").Select(r => r.Key).ShouldBe(["not-given", "earlier", "2017-02"], ignoreOrder: false,
            "December 2016 is before the period; a report without a date is counted as such");
        figures.Rows("open-ages").Where(r => r.Value[0] != "0").ToDictionary(r => r.Key, r => r.Value[0])
            .ShouldBe(new Dictionary<string, string> { ["a-year-or-more"] = "2" }, "the closed case is not open");
        figures.Rows("breaches").Where(r => r.Value[0] != "0").ToDictionary(r => r.Key, r => r.Value[0])
            .ShouldBe(new Dictionary<string, string> { ["2017-03"] = "1", ["2017-04"] = "1" }, ignoreOrder: true);
        figures.Rows("departments")["campus-security"].ShouldBe(["2", "50%", "0%", "2.0"],
            "one of two acknowledged, a day after the date asked, two days after it was sent");
        figures.Rows("departments").Keys.ShouldBe([.. DefaultProfile.Value.Departments.Select(d => d.Id)], ignoreOrder: true, "every department, even at 0");
        figures.Rows("meetings").ToDictionary(r => r.Key, r => r.Value[0])
            .ShouldBe(new Dictionary<string, string> { ["held-in-person"] = "0", ["held-online"] = "1", ["held-phone"] = "0", ["missed"] = "1" }, ignoreOrder: true);

        var published = await analytics.FiguresAsync(2017, role: StaffRoles.Analyst);
        published.Rows("departments")["campus-security"].ShouldBe(["0", "suppressed", "suppressed", "suppressed"], "two alerts are a small count");
        published.Rows("meetings").Values.ShouldAllBe(cells => cells[0] == "0");
        var otherCategory = await analytics.FiguresAsync(2017, unrounded: true, more: "&category=disability");
        (otherCategory.Rows("departments")["campus-security"][0], otherCategory.Rows("breaches")["2017-03"][0], otherCategory.Rows("meetings")["missed"][0])
            .ShouldBe(("0", "0", "0"), "each is counted under its case's category");
    }

    [Fact]
    public async Task ReferralsAreCountedByServiceWithTheUptakeLastRecorded()
    {
        var reports = Enumerable.Range(0, 4).Select(_ => In(2020, 10)).ToList();
        await Task.WhenAll(reports.Select(analytics.PublishAsync));
        var made = new DateOnly(2020, 10, 20);
        var referrals = reports.Select((r, i) => new SupportSuggested(Guid.NewGuid(), r.ReportId, i < 3 ? "counselling" : "police-non-emergency",
            i == 0 ? ReferralKinds.WarmReferral : ReferralKinds.Signpost, made, DateTimeOffset.UtcNow)).ToList();
        var at = new DateTimeOffset(2020, 11, 1, 9, 0, 0, TimeSpan.Zero);
        // The later word arrives first: the latest recorded stands whatever the order.
        await analytics.PublishAsync(new ReferralUptakeRecorded(referrals[0].ReferralId, reports[0].ReportId, "counselling", ReferralUptakes.TakenUp, "yes", at.AddDays(7)));
        await analytics.PublishAsync(new ReferralUptakeRecorded(referrals[0].ReferralId, reports[0].ReportId, "counselling", ReferralUptakes.NotKnown, null, at));
        await analytics.PublishAsync(new ReferralUptakeRecorded(referrals[1].ReferralId, reports[1].ReportId, "counselling", ReferralUptakes.NotTakenUp, null, at));
        foreach (var referral in referrals.Append(referrals[0])) await analytics.PublishAsync(referral);

        var figures = await Eventually.GetAsync(() => analytics.FiguresAsync(2020, unrounded: true),
            f => f.Rows("referrals").TryGetValue("counselling", out var row) && row[0] == "3" && row[2] == "33%", "the referrals and their uptake counted");
        figures.Rows("referrals")["counselling"].ShouldBe(["3", "33%", "33%", "100%"]);
        figures.Rows("referrals")["police-non-emergency"].ShouldBe(["1", "0%", "0%", "suppressed"], "nothing taken up: no share of it");
        figures.Table("referrals").GetProperty("rows")[0].GetProperty("label").GetString().ShouldBe("Counselling and Wellbeing");

        var published = await analytics.FiguresAsync(2020, role: StaffRoles.Analyst);
        published.Rows("referrals")["counselling"].ShouldBe(["5", "suppressed", "suppressed", "suppressed"], "three referrals are too few for shares");
    }

    [Fact]
    public async Task ThePageDrawsEachTableAsAChartBesideItAndEachCsvIsItsTable()
    {
        var reports = Enumerable.Range(0, 30).Select(i => In(2024, 1 + i % 12, i % 3 == 0 ? "disability" : "race",
            i % 2 == 0 ? "city-campus/library" : "online")).ToList();
        await Task.WhenAll(reports.Select(analytics.PublishAsync));
        var closure = Closed(reports[0], "resolved-informally", 1, 2, null, "=HYPERLINK(\"http://evil.example\")");
        await analytics.PublishAsync(closure);
        await Eventually.GetAsync(() => analytics.FiguresAsync(2024, unrounded: true),
            f => f.GetProperty("reports").GetInt32() == 30 && f.Rows("themes").Count == 1, "the reports and the closure counted");

        var analyst = analytics.SignedIn(StaffRoles.Analyst);
        var overview = await analyst.GetStringAsync("/analytics?from=2024-01-01&to=2024-12-31");
        overview.ShouldContain("href=\"/analytics/tables/categories.csv?from=2024-01-01&amp;to=2024-12-31\"");
        overview.ShouldNotContain("campuses.csv", Case.Sensitive, "each section is a page of its own tables");
        (await analyst.GetAsync("/analytics/nowhere")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var page = await analyst.GetStringAsync("/analytics/where-and-when?from=2024-01-01&to=2024-12-31");
        page.ShouldContain("<svg");
        page.ShouldContain("<th scope=\"row\" dir=\"auto\">Online (social media, email, messaging)</th>");
        page.ShouldContain("href=\"/analytics/tables/campuses.csv?from=2024-01-01&amp;to=2024-12-31\"");
        page.ShouldNotContain("style=", Case.Insensitive, "the CSP allows no inline style");

        var figures = await analytics.FiguresAsync(2024, role: StaffRoles.Analyst);
        foreach (var table in new[] { "campuses", "categories", "months", "themes" })
        {
            // A theme used once shows in the unrounded figures only.
            var caller = table == "themes" ? analytics.SignedIn(StaffRoles.Admin) : analyst;
            var asked = table == "themes" ? "&unrounded=true" : "";
            var csv = await caller.GetAsync($"/analytics/tables/{table}.csv?from=2024-01-01&to=2024-12-31{asked}");
            csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
            var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            lines[0].ShouldContain(table == "themes" ? "UNROUNDED: not for publication" : "Rounded to the nearest 5");
            var json = table == "themes" ? (await analytics.FiguresAsync(2024, unrounded: true)).Table(table) : figures.Table(table);
            lines[1].ShouldBe(string.Join(',', json.GetProperty("headings").EnumerateArray().Select(h => h.GetString())));
            var rows = json.GetProperty("rows").EnumerateArray().Concat(json.TryGetProperty("total", out var total) && total.ValueKind == JsonValueKind.Object ? [total] : [])
                .Select(r => new[] { r.GetProperty("label").GetString()! }.Concat(r.GetProperty("cells").EnumerateArray().Select(c => c.GetString()!)).ToArray()).ToList();
            lines.Length.ShouldBe(2 + rows.Count);
            if (table == "themes") lines[2].ShouldStartWith("\"'=HYPERLINK(", Case.Sensitive, "a formula is escaped, never run by a spreadsheet");
            else lines.Skip(2).ShouldBe(rows.Select(cells => string.Join(',', cells.Select(c => c.Contains(',') ? $"\"{c}\"" : c))));
        }
        (await analyst.GetAsync("/analytics/tables/nothing.csv")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TheAnnualReportIsRoundedForEveryoneWithACommentaryFromItsFiguresAndDownloadsAsOneFile()
    {
        var reports = Enumerable.Range(0, 28).Select(i => In(2019, 10, i < 20 ? "sexual-harassment" : "race"))
            .Concat(Enumerable.Range(0, 8).Select(_ => In(2018, 10))).ToList();
        await Task.WhenAll(reports.Select(analytics.PublishAsync));
        await Eventually.GetAsync(() => analytics.FiguresAsync(2019, unrounded: true), f => f.GetProperty("reports").GetInt32() == 28, "the reports counted");

        var page = await analytics.SignedIn(StaffRoles.Admin).GetStringAsync("/analytics/annual-report?year=2019");
        page.ShouldContain("reports of harassment and hate incidents, 2019/20");
        page.ShouldContain("About 30 reports were made in 2019/20, up from about 10 in the same months of 2018/19.", Case.Sensitive,
            "no change in per cent from fewer than 25");
        page.ShouldContain("The category reported most was Sexual harassment, named in 67% of reports.");
        page.ShouldContain("100% of reports were made anonymously.", Case.Sensitive, "the year before had too few reports for a share");
        page.ShouldNotContain("<td>28</td>", Case.Sensitive, "even an Admin's annual report is rounded");
        page.ShouldContain("<td>30</td>");

        var download = await analytics.SignedIn(StaffRoles.Analyst).GetAsync("/analytics/annual-report/download?year=2019");
        download.Content.Headers.ContentDisposition!.FileName.ShouldBe("harbour-annual-report-2019-20.html");
        var file = await download.Content.ReadAsStringAsync();
        file.ShouldStartWith("<!DOCTYPE html>");
        file.ShouldContain("<style>");
        file.ShouldContain("About 30 reports were made in 2019/20");
        string.Join(";", download.Headers.GetValues("Content-Security-Policy")).ShouldContain("sandbox");

        var wrong = await analytics.SignedIn(StaffRoles.Analyst).GetStringAsync("/analytics/annual-report?year=19%2F20");
        wrong.ShouldContain("Choose an academic year by the year it starts in");
        wrong.ShouldContain("value=\"19/20\"");
        (await analytics.SignedIn(StaffRoles.Analyst).GetAsync("/analytics/annual-report/download?year=1066")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AnUnreadablePeriodIsNamedBesideItsFieldWithWhatWasTypedKept()
    {
        var analyst = analytics.SignedIn(StaffRoles.Analyst);
        var page = await analyst.GetStringAsync("/analytics?from=31%2F12%2F2024&to=2024-01-01");
        page.ShouldContain("Enter a date as year, month and day, for example 2026-08-01.");
        page.ShouldContain("value=\"31/12/2024\"");
        page.ShouldNotContain("<table");

        var backwards = await analyst.GetStringAsync("/analytics?from=2024-06-01&to=2024-01-01");
        backwards.ShouldContain("The end of the period must be on or after its start.");

        var api = await analyst.GetAsync("/api/analytics/figures?from=2024-06-01&to=2024-01-01");
        api.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("to")[0].GetString()
            .ShouldBe("The end of the period must be on or after its start.");
    }

    [Fact]
    public async Task AForgedStaffTokenIsRefused()
    {
        var client = analytics.CreateClient();
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        var forged = handler.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = "harbour",
            Audience = "harbour",
            Subject = new ClaimsIdentity([new Claim("role", StaffRoles.Admin)]),
            SigningCredentials = new(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(new byte[32]),
                Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
        });
        client.DefaultRequestHeaders.Add("Cookie", $"{StaffAuthentication.CookieName}={forged}");
        (await client.GetAsync("/api/analytics/figures")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // Well formed and signed, but with a key cases does not hold (another installation's secret).
        var otherIssuer = new StaffTokenIssuer(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Harbour:StaffKey"] = "another-installation-0123456789abcdefghijkl" }).Build());
        var otherClient = analytics.CreateClient();
        otherClient.DefaultRequestHeaders.Add("Cookie",
            $"{StaffAuthentication.CookieName}={otherIssuer.Create("x", "Someone", [StaffRoles.Admin], Guid.NewGuid(), TimeProvider.System)}");
        (await otherClient.GetAsync("/api/analytics/figures")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}

// On their own services, so that the profile they publish and the events they replay do not change the figures above.
public sealed class AnalyticsProfileTests(AnalyticsFactory analytics) : IClassFixture<AnalyticsFactory>
{
    [Fact]
    public async Task FiguresAreNamedAsTheLatestProfileNamesThemAndANameCannotBreakTheChart()
    {
        var reports = new[] { "stalking", "stalking", "race" }.Select(c => Reports.Submitted(categories: [c])).ToList();
        var renamed = DefaultProfile.Value with
        {
            Categories = [.. DefaultProfile.Value.Categories.Where(c => c.Id != "stalking"),
                new Category { Id = "stalking", Name = "Stalking <b>& being</b> followed", Specialism = "Personal safety" }],
        };
        await Task.WhenAll(reports.Select(analytics.PublishAsync));
        await analytics.PublishAsync(new InstitutionProfilePublished(7, DateTimeOffset.UtcNow, renamed));
        await using var scope = analytics.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>();
        await Eventually.GetAsync(() => db.Set<ProfileSnapshot>().AnyAsync(s => s.Version == 7), held => held, "the profile to be held");
        await Eventually.GetAsync(() => analytics.FiguresAsync(2026, unrounded: true), f => f.GetProperty("reports").GetInt32() == 3, "the reports counted");

        var figures = await analytics.FiguresAsync(2026, unrounded: true);
        figures.Table("categories").GetProperty("rows").EnumerateArray().Take(2).Select(r => r.GetProperty("label").GetString())
            .ShouldBe(["Stalking <b>& being</b> followed", "Race"]);
        figures.Table("places").GetProperty("rows")[0].GetProperty("label").GetString().ShouldBe("City campus: Library");

        var page = await analytics.SignedIn(StaffRoles.Admin).GetStringAsync("/analytics?from=2026-01-01&to=2026-12-31&unrounded=true");
        page.ShouldNotContain("<b>& being</b>");
        page.ShouldContain("Stalking &lt;b&gt;&amp; being&lt;/b&gt; followed");
        var chart = page[page.IndexOf("<svg", StringComparison.Ordinal)..page.IndexOf("</svg>", StringComparison.Ordinal)];
        chart.ShouldContain("<text", Case.Sensitive, "the chart has its labels");
        page.Split("<svg").Skip(1).Any(svg => svg[..svg.IndexOf("</svg>", StringComparison.Ordinal)].Contains("&lt;b&gt;&amp; being")).ShouldBeTrue("the label escaped inside the chart");
    }

    // Analytics keeps facts, not running totals: the same events consumed in another order, some twice, give the same figures.
    [Fact]
    public async Task TheSameEventsInAnotherOrderWithRepeatsGiveIdenticalFigures()
    {
        var random = new Random(20261201);
        var categories = new[] { "race", "disability", "sexual-harassment", "bullying" };
        var places = new[] { "city-campus/library", "online", "city-campus/students-union" };
        var reports = Enumerable.Range(0, 60).Select(i => Reports.Submitted(categories: [categories[random.Next(4)]]) with
        {
            Location = places[random.Next(3)],
            Kind = i % 4 == 0 ? "named" : "anonymous",
            SubmittedAt = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(random.Next(0, 24 * 360)),
            Relation = new[] { "me", "witnessed", null }[random.Next(3)],
            OccurredIn = random.Next(2) == 0 ? $"2024-{random.Next(1, 13):00}" : null,
        }).ToList();
        var closures = reports.Take(25).Select(r => new CaseClosed(Guid.NewGuid(), r.ReportId, random.Next(2) == 0 ? "resolved-informally" : "no-further-action",
            r.Kind, r.Categories, r.Location, r.SubmittedAt,
            [new StepMet(ResponseSteps.Triage, DateOnly.FromDateTime(r.SubmittedAt.UtcDateTime).AddDays(2), r.SubmittedAt.AddHours(random.Next(1, 100)))],
            random.Next(3) == 0 ? TestLearning.Sealer.Seal("Early contact helped.") : null, r.SubmittedAt.AddDays(20), [random.Next(2) == 0 ? "halls" : "online"])).ToList();
        var reopenings = closures.Take(4).Select(c => new CaseReopened(c.ReportId, c.ClosedAt.AddDays(1))).ToList();
        var referrals = reports.Skip(10).Take(30).Select(r => new SupportSuggested(Guid.NewGuid(), r.ReportId, random.Next(2) == 0 ? "counselling" : "police-non-emergency",
            ReferralKinds.Signpost, DateOnly.FromDateTime(r.SubmittedAt.UtcDateTime).AddDays(3), r.SubmittedAt.AddDays(3))).ToList();
        var uptakes = referrals.SelectMany(r => new[]
        {
            new ReferralUptakeRecorded(r.ReferralId, r.ReportId, r.ServiceId, ReferralUptakes.NotKnown, null, r.RecordedAt.AddDays(1)),
            new ReferralUptakeRecorded(r.ReferralId, r.ReportId, r.ServiceId, random.Next(2) == 0 ? ReferralUptakes.TakenUp : ReferralUptakes.NotTakenUp,
                random.Next(2) == 0 ? "yes" : null, r.RecordedAt.AddDays(8)),
        }).ToList();
        var missed = reports.Skip(30).Select(r => new DeadlineMissed(r.ReportId, ResponseSteps.Triage, DateOnly.FromDateTime(r.SubmittedAt.UtcDateTime).AddDays(2))).ToList();
        var informed = reports.Skip(5).Take(30).Select(r => new DepartmentInformed(Guid.NewGuid(), r.ReportId, random.Next(2) == 0 ? "campus-security" : "students-union",
            r.SubmittedAt.AddDays(1), DateOnly.FromDateTime(r.SubmittedAt.UtcDateTime).AddDays(3))).ToList();
        var acknowledgements = informed.Take(20).Select(a => new DepartmentAlertAcknowledged(a.AlertId, a.RequestedAt.AddHours(random.Next(1, 120)))).ToList();
        var meetings = reports.Take(30).Select(r => new MeetingRecorded(Guid.NewGuid(), r.ReportId, random.Next(3) > 0, random.Next(2) == 0 ? "online" : "phone",
            r.SubmittedAt.AddDays(4))).ToList();
        object[] events = [.. reports, .. closures, .. reopenings, .. referrals, .. uptakes, .. missed, .. informed, .. acknowledgements, .. meetings];

        await using var replayed = new AnalyticsFactory();
        await replayed.InitializeAsync();
        foreach (var message in events) await analytics.Services.GetRequiredService<IBus>().Publish(message);
        var all = (reports.Count, closures.Count, reopenings.Count, referrals.Count, uptakes.Count,
            (missed.Count, informed.Count, acknowledgements.Count, meetings.Count));
        await Eventually.GetAsync(() => FactsIn(analytics), held => held == all, "every event consumed");
        var expected = await Snapshot(analytics);

        var shuffled = events.Concat(events.Take(20)).OrderBy(_ => random.Next()).ToList();
        foreach (var message in shuffled) await replayed.Services.GetRequiredService<IBus>().Publish(message);

        await Eventually.GetAsync(() => FactsIn(replayed), held => held == all, "every event of the replay consumed");
        (await Snapshot(replayed)).ShouldBe(expected);
        (await Snapshot(replayed, unrounded: false)).ShouldBe(await Snapshot(analytics, unrounded: false));
    }

    // The report tables read tallies kept as each report is kept: they must be what the reports themselves give, however
    // the reports came (at once, some twice), and the command "rebuild" must work the same tallies out again from the reports.
    [Fact]
    public async Task TheTalliesKeptAreWhatTheReportsGiveAndTheRebuildCommandWorksThemOutAgain()
    {
        var random = new Random(20261202);
        var categories = new[] { "race", "disability", "stalking" };
        var places = new[] { "city-campus/library", "online", "city-campus/students-union" };
        var reports = Enumerable.Range(0, 40).Select(i => Reports.Submitted(categories: [.. categories.Where(_ => random.Next(2) == 0).DefaultIfEmpty("race")]) with
        {
            Location = places[random.Next(3)],
            Kind = i % 3 == 0 ? "named" : "anonymous",
            SubmittedAt = new DateTimeOffset(2021, 3, 1, 0, 0, 0, TimeSpan.Zero).AddHours(random.Next(0, 24 * 60)),
            Relation = new[] { "me", "on-behalf", null }[random.Next(3)],
            OccurredIn = random.Next(2) == 0 ? $"2021-{random.Next(1, 3):00}" : null,
        }).ToList();
        await Task.WhenAll(reports.Concat(reports.Take(10)).Select(analytics.PublishAsync));
        await Eventually.GetAsync(() => analytics.FiguresAsync(2021, unrounded: true), f => f.GetProperty("reports").GetInt32() == 40, "the reports counted");
        await using var scope = analytics.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>();
        async Task<List<string>> Tallies() => [.. (await db.Tallies.AsNoTracking().ToListAsync())
            .Select(t => $"{t.Slice}|{t.Dimension}|{t.Day:yyyy-MM-dd}|{t.Value}|{t.Reports}").Order()];
        var kept = await Tallies();
        var onCampus = await analytics.FiguresAsync(2021, unrounded: true, more: "&campus=City%20campus");

        // By hand: every report once in the slice of all reports.
        kept.Where(t => t.StartsWith("|kind|2021-", StringComparison.Ordinal)).Sum(t => int.Parse(t.Split('|')[4])).ShouldBe(40);
        var raceInTown = reports.Where(r => r.Location.StartsWith("city-campus/", StringComparison.Ordinal) && r.Categories.Contains("race")).ToList();
        raceInTown.Count(r => r.Kind == "named").ShouldBeGreaterThan(0);
        // A category on a campus is read from the reports themselves, through the same rows.
        (await analytics.FiguresAsync(2021, unrounded: true, more: "&category=race&campus=City%20campus")).Rows("kinds")["named"][0]
            .ShouldBe(raceInTown.Count(r => r.Kind == "named").ToString(System.Globalization.CultureInfo.InvariantCulture));

        await db.Database.ExecuteSqlRawAsync("DELETE FROM report_tallies WHERE slice = ''");
        var command = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "Analytics.dll"), "rebuild"])
        {
            Environment =
            {
                ["ConnectionStrings__analyticsdb"] = analytics.ServiceDatabase,
                ["ConnectionStrings__messaging"] = analytics.Settings["ConnectionStrings:messaging"],
                ["Harbour__AnalyticsKey"] = ServiceFactory<Program>.AnalyticsKey,
            },
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var output = await command.StandardOutput.ReadToEndAsync() + await command.StandardError.ReadToEndAsync();
        await command.WaitForExitAsync();

        command.ExitCode.ShouldBe(0, output);
        (await Tallies()).ShouldBe(kept);
        (await analytics.FiguresAsync(2021, unrounded: true, more: "&campus=City%20campus")).ToString().ShouldBe(onCampus.ToString());
    }

    static async Task<string> Snapshot(AnalyticsFactory service, bool unrounded = true) =>
        JsonSerializer.Serialize(await service.FiguresAsync(2025, unrounded)) +
        await service.SignedIn(StaffRoles.Admin).GetStringAsync("/analytics/learning?from=2025-01-01&to=2025-12-31")
            .ContinueWith(t => t.Result[t.Result.IndexOf("<h2>Learning", StringComparison.Ordinal)..]);

    static async Task<(int, int, int, int, int, (int, int, int, int))> FactsIn(AnalyticsFactory service)
    {
        await using var scope = service.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>();
        return (await db.Reports.CountAsync(), await db.Closures.CountAsync(), await db.Reopenings.CountAsync(), await db.Referrals.CountAsync(),
            await db.Uptakes.CountAsync(), (await db.Breaches.CountAsync(), await db.Alerts.CountAsync(), await db.Acknowledgements.CountAsync(),
            await db.Meetings.CountAsync()));
    }
}

// Its own database, where no case is ever reopened: the response table then reads the period's steps without joining their
// closures (Dashboard), and must give what the join gives.
public sealed class NothingReopenedTests(AnalyticsFactory analytics) : IClassFixture<AnalyticsFactory>
{
    [Fact]
    public async Task WithNoCaseReopenedTheResponseTableIsWhatJoiningEachStepToItsClosureGives()
    {
        var reports = Enumerable.Range(1, 9).Select(month => AnalyticsTests.In(2018, month)).ToList();
        foreach (var report in reports) await analytics.PublishAsync(report);
        foreach (var (report, i) in reports.Select((r, i) => (r, i)))
            await analytics.PublishAsync(AnalyticsTests.Closed(report, "resolved-informally", i % 3, i % 2 == 0 ? i : null));
        var quick = await Eventually.GetAsync(() => analytics.FiguresAsync(2018, unrounded: true),
            f => f.Rows("response").GetValueOrDefault(ResponseSteps.Triage)?[0] == "9", "the nine closures counted");
        // Every report is on the library's campus: the campus filter takes the joining path and must find the same.
        var joined = await analytics.FiguresAsync(2018, unrounded: true, more: "&campus=City%20campus");
        joined.Table("response").GetRawText().ShouldBe(quick.Table("response").GetRawText());
        // By hand: first contact met on days 0, 2, 4, 6 and 8 of nine (due by day 5): 3 in time; median 4; 90th percentile 6 + 0.6 × 2.
        quick.Rows("response")[ResponseSteps.FirstContact].ShouldBe(["9", "33%", "4.0", "7.2"]);

        // Once a case is reopened, its closure's steps leave the table, whichever way it is read.
        await analytics.PublishAsync(new CaseReopened(reports[0].ReportId, DateTimeOffset.UtcNow));
        var reopened = await Eventually.GetAsync(() => analytics.FiguresAsync(2018, unrounded: true),
            f => f.Rows("response").GetValueOrDefault(ResponseSteps.Triage)?[0] == "8", "the reopened case's steps to leave");
        (await analytics.FiguresAsync(2018, unrounded: true, more: "&campus=City%20campus")).Table("response").GetRawText()
            .ShouldBe(reopened.Table("response").GetRawText());
    }
}
