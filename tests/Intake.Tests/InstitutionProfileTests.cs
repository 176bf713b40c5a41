using System.Net;
using System.Net.Http.Json;
using Harbour.Contracts;
using Harbour.Profile;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Intake.Tests;

// Intake works from the snapshots cases publishes, kept in its own database.
public sealed class InstitutionProfileTests(IntakeFactory intake) : IClassFixture<IntakeFactory>
{
    [Fact]
    public async Task ThePublicFormShowsTheCategoriesAndBuildingsOfTheLatestProfile()
    {
        var profile = DefaultProfile.Value with
        {
            Categories = [.. DefaultProfile.Value.Categories, new Category { Id = "caste", Name = "Caste" }],
            Places = [.. DefaultProfile.Value.Places, new Place { Id = "city-campus/medical-school", Name = "Medical School", Campus = "City campus" }],
        };

        var version = await NextVersionAsync();
        await PublishAsync(version, profile);

        var form = await intake.CreateClient().GetStringAsync("/report");
        form.ShouldContain("""<label for="category-caste">Caste</label>""");
        form.ShouldContain("""<option value="city-campus/medical-school">Medical School</option>""");
        var report = ValidReports.Anonymous();
        report["categories"] = new[] { "caste" };
        report["location"] = "city-campus/medical-school";
        var response = await intake.CreateClient().PostAsJsonAsync("/api/reports", report);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);

        // The event says which version the report was checked against, so cases and notifications plan it alike.
        var reference = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("reference").GetString();
        await using var scope = intake.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
        (await db.Reports.SingleAsync(r => r.Reference == reference)).ProfileVersion.ShouldBe(version, "ReportSubmitted carries it from here");
    }

    [Fact]
    public async Task ALateOlderSnapshotDoesNotOverwriteANewerOne()
    {
        var version = await NextVersionAsync();
        await PublishAsync(version + 1, DefaultProfile.Value with { Categories = [new Category { Id = "newer", Name = "From the newer version" }] });

        await PublishAsync(version, DefaultProfile.Value with { Categories = [new Category { Id = "older", Name = "From the older version" }] });

        var form = await intake.CreateClient().GetStringAsync("/report");
        form.ShouldContain("From the newer version");
        form.ShouldNotContain("From the older version");
    }

    [Fact]
    public async Task AnEarlierVersionOfAGuidancePageStaysReadable()
    {
        var first = await NextVersionAsync();
        await PublishAsync(first, WithGuidance("Report in person at the Welfare Office."));
        await PublishAsync(first + 1, WithGuidance("Report online, at any hour, anonymously if you wish."));
        var client = intake.CreateClient();

        var current = await client.GetStringAsync("/guidance/how-to-report");
        var earlier = await client.GetStringAsync($"/guidance/how-to-report/{first}");

        current.ShouldContain("Report online, at any hour, anonymously if you wish.");
        current.ShouldContain($"""href="/guidance/how-to-report/{first}""");
        earlier.ShouldContain("Report in person at the Welfare Office.");
        earlier.ShouldContain("This is an earlier version of this page");
        (await client.GetAsync("/guidance/no-such-page")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task GuidanceMarkdownCannotCarryScriptsOrScriptLinks()
    {
        await PublishAsync(await NextVersionAsync(),
            WithGuidance("**Read this.** <script>alert('x')</script> [Click](javascript:alert('y')) <img src=x onerror=alert(1)>"));

        var page = await intake.CreateClient().GetStringAsync("/guidance/how-to-report");

        page.ShouldContain("<strong>Read this.</strong>");
        page.ShouldNotContain("<script>alert");
        page.ShouldNotContain("javascript:");
        page.ShouldNotContain("<img");
        page.ShouldContain("<a>Click</a>");
    }

    [Fact]
    public async Task TheConfirmationShowsSupportThatMatchesTheReportUrgentFirst()
    {
        await PublishAsync(await NextVersionAsync(), DefaultProfile.Value);
        var client = intake.CreateClient();
        var form = HtmlForm.Read(await client.GetStringAsync("/report"));
        form["kind"] = "anonymous";
        form["categories"] = "sexual-misconduct";
        form["description"] = "It happened at a party in halls.";
        form["location"] = "park-campus/halls";
        form["occurredWhen"] = "on Saturday night";
        form["reporterRole"] = "student";

        var page = await (await client.PostAsync("/report", form.ToContent())).Content.ReadAsStringAsync();

        page.ShouldContain("Northgate Sexual Assault Referral Centre");
        page.ShouldContain("Counselling and Wellbeing");
        page.ShouldNotContain("Employee Assistance Programme");
        page.IndexOf("Campus Security").ShouldBeLessThan(page.IndexOf("Counselling and Wellbeing"));
    }

    // UK GDPR Article 13: before sending, a reporter can read what is collected, why, who sees it, how long it is kept
    // (the profile's own retention periods), their rights and whom to ask; from the form, the check page and every page.
    [Fact]
    public async Task ThePrivacyNoticeIsLinkedFromEveryPageAndStatesTheProfilesRetentionPeriods()
    {
        await PublishAsync(await NextVersionAsync(), DefaultProfile.Value);
        var client = intake.CreateClient();

        var notice = await client.GetStringAsync("/guidance/privacy");

        notice.ShouldContain("<h1>Privacy notice: what happens to your report</h1>");
        notice.ShouldContain("<strong>Anonymously</strong>: 1 year from when the report was sent, then due for deletion.");
        notice.ShouldContain("<strong>With my name</strong>: 6 years after the case is closed, then due for deletion.");
        notice.ShouldContain("University of Northgate (example) is the controller");
        notice.ShouldContain("dpo@northgate.example");
        notice.ShouldContain("Article 9(2)(g)");
        notice.ShouldNotContain("{{");
        foreach (var page in new[] { "/", "/report", "/follow-up", "/support", "/guidance", "/no-such-page" })
            (await (await client.GetAsync(page)).Content.ReadAsStringAsync()).ShouldContain("href=\"/guidance/privacy\"", customMessage: page);
        var check = HtmlForm.Read(await client.GetStringAsync("/report"));
        (check["kind"], check["categories"], check["description"], check["location"], check["occurredWhen"], check["reporterRole"], check["step"]) =
            ("anonymous", "offensive-advertising", "A poster.", "city-campus/students-union", "today", "student", "check");
        var checkPage = await (await client.PostAsync("/report", check.ToContent())).Content.ReadAsStringAsync();
        checkPage.ShouldContain("<h1>Check your report</h1>");
        checkPage.ShouldContain("read <a href=\"/guidance/privacy\">what happens to your report and who sees it</a>");
    }

    [Fact]
    public async Task AChangedRetentionPeriodIsANewEditionOfThePrivacyNoticeAndItCannotBeTakenAway()
    {
        var first = await NextVersionAsync();
        await PublishAsync(first, DefaultProfile.Value);
        await PublishAsync(first + 1, DefaultProfile.Value with
        {
            Retention = [.. DefaultProfile.Value.Retention.Select(r => r.Kind == "anonymous" ? r with { Months = 18 } : r),
                new Retention { Kind = "named", Outcome = "no-contact", Months = 24, AfterClosure = true }],
        });
        var client = intake.CreateClient();

        var current = await client.GetStringAsync("/guidance/privacy");
        current.ShouldContain("<strong>Anonymously</strong>: 18 months from when the report was sent");
        current.ShouldContain("<strong>With my name</strong>, when the case ends as <em>Closed; the reporter could not be reached</em>: 2 years after the case is closed");
        var earlier = System.Text.RegularExpressions.Regex.Match(current, "href=\"(/guidance/privacy/\\d+)\"");
        earlier.Success.ShouldBeTrue("the earlier edition is listed");
        (await client.GetStringAsync(earlier.Groups[1].Value)).ShouldContain("<strong>Anonymously</strong>: 1 year");

        // A profile published without a privacy notice: the last one stays, as a reporter must always be able to read it.
        await PublishAsync(first + 2, WithGuidance("Report online."));
        var response = await client.GetAsync("/guidance/privacy");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("18 months");
    }

    static InstitutionProfile WithGuidance(string markdown) => DefaultProfile.Value with
    {
        Guidance = [new GuidancePage { Slug = "how-to-report", Title = "How to make a report", Markdown = markdown }],
    };

    async Task<int> NextVersionAsync()
    {
        await using var scope = intake.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
        return (await db.Set<ProfileSnapshot>().MaxAsync(s => (int?)s.Version) ?? 0) + 1;
    }

    async Task PublishAsync(int version, InstitutionProfile profile)
    {
        await intake.Services.GetRequiredService<IBus>().Publish(new InstitutionProfilePublished(version, DateTimeOffset.UtcNow, profile));
        await using var scope = intake.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
        await Eventually.GetAsync(() => db.Set<ProfileSnapshot>().AnyAsync(s => s.Version == version), held => held, $"profile version {version} to be held");
    }
}
