using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Harbour.Cases.Casework;
using Harbour.Cases.Profile;
using Harbour.Contracts;
using Harbour.Profile;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Harbour.Cases.Tests;

public sealed class InstitutionProfileTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    [Fact]
    public void TheDefaultProfilePassesValidation()
    {
        ProfileRules.Validate(DefaultProfile.Value).ShouldBeEmpty();
        DefaultProfile.Value.Categories.Select(c => c.Id).ShouldContain("offensive-advertising");
        DefaultProfile.Value.Playbooks.Single(p => p.Category == "religion").Actions[0].ShouldContain("Spirituality and Faith Centre");
    }

    [Fact]
    public void ExportedYamlAndJsonReadBackAsTheSameProfile()
    {
        foreach (var yaml in new[] { true, false })
        {
            var (profile, problem) = ProfileFile.Read(ProfileFile.Write(DefaultProfile.Value, yaml), yaml);
            problem.ShouldBeNull();
            ProfileFile.Write(profile!, yaml: false).ShouldBe(ProfileFile.Write(DefaultProfile.Value, yaml: false));
        }
    }

    [Fact]
    public void DeadlinesSkipWeekendsBankHolidaysAndClosureDays()
    {
        var closures = DefaultProfile.Value.Closures;
        var christmasEve = new DateTimeOffset(2026, 12, 24, 15, 0, 0, TimeSpan.Zero);

        WorkingDays.After(christmasEve, 1, closures).ShouldBe(new DateOnly(2027, 1, 4));
        WorkingDays.After(new DateTimeOffset(2026, 3, 13, 16, 0, 0, TimeSpan.Zero), 1, closures).ShouldBe(new DateOnly(2026, 3, 16));
    }

    [Fact]
    public async Task ImportRejectsABadFileWithEveryProblemAndChangesNothing()
    {
        var admin = await cases.SignedInAdminAsync();
        var before = await VersionsAsync(admin);
        var bad = DefaultProfile.Value with
        {
            Departments = [DefaultProfile.Value.Departments[0] with { Email = "security at northgate" }, .. DefaultProfile.Value.Departments.Skip(1)],
            Playbooks = [.. DefaultProfile.Value.Playbooks, new Playbook { Category = "no-such-category", Actions = ["Call someone"] }],
            Closures = [.. DefaultProfile.Value.Closures, new Closure { Name = "Overlapping", From = new(2026, 12, 30), To = new(2027, 1, 2) }],
        };

        var response = await admin.PutAsync("/api/profile", Yaml(bad));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.GetProperty("departments[0].email")[0].GetString().ShouldStartWith("Enter an email address");
        errors.GetProperty($"playbooks[{bad.Playbooks.Count - 1}].category")[0].GetString().ShouldBe("There is no category \"no-such-category\".");
        errors.GetProperty($"closures[{bad.Closures.Count - 1}].from")[0].GetString()!.ShouldContain("overlaps with \"University closure\"");
        (await VersionsAsync(admin)).ShouldBe(before);
    }

    [Fact]
    public async Task ImportOfAFileThatDoesNotReadSaysWhereAndChangesNothing()
    {
        var admin = await cases.SignedInAdminAsync();
        var before = await VersionsAsync(admin);

        var response = await admin.PutAsync("/api/profile", new StringContent("name: x\ncategories:\n  - id: a\n   name: b", Encoding.UTF8, "application/yaml"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.GetProperty("file")[0].GetString().ShouldStartWith("Line ");
        (await VersionsAsync(admin)).ShouldBe(before);
    }

    [Theory]
    [InlineData("name: x\nclosures:\n", "closures")]
    [InlineData("name: ~\n", "name")]
    [InlineData("a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n", "file")]
    [InlineData("? [a, b]\n: c\n", "file")]
    public async Task AFileWithEmptyOrTrickyValuesIsRefusedWithAProblemNotAnError(string yaml, string field)
    {
        var admin = await cases.SignedInAdminAsync();

        var response = await admin.PutAsync("/api/profile", new StringContent(yaml, Encoding.UTF8, "application/yaml"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.TryGetProperty(field, out _).ShouldBeTrue(errors.ToString());
    }

    [Fact]
    public async Task ImportingAChangedExportMakesANewVersionAndPublishesIt()
    {
        var admin = await cases.SignedInAdminAsync();
        var name = $"University of Testington {Guid.NewGuid():N}";
        var published = new TaskCompletionSource<InstitutionProfilePublished>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listener = cases.Services.GetRequiredService<IBus>().ConnectReceiveEndpoint(TestServers.UniqueName("profile"), endpoint =>
            endpoint.Handler<InstitutionProfilePublished>(context =>
            {
                if (context.Message.Profile.Name == name) published.TrySetResult(context.Message);
                return Task.CompletedTask;
            }));
        await listener.Ready;
        var exported = ProfileFile.Read(await admin.GetStringAsync("/api/profile?format=yaml"), yaml: true).Profile!;

        var response = await admin.PutAsync("/api/profile", Yaml(exported with { Name = name }));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var version = (await response.Content.ReadFromJsonAsync<ProfileImported>())!.Version;
        var message = await published.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        message.Version.ShouldBe(version);
        var history = await admin.GetFromJsonAsync<List<ProfileVersionSummary>>("/api/profile/versions");
        history![0].ShouldSatisfyAllConditions(
            v => v.Version.ShouldBe(version),
            v => v.ChangedBy.ShouldStartWith("Administrator ("),
            v => v.Summary.ShouldBe("Imported from a YAML file"));
    }

    [Fact]
    public async Task TheSectionEditorShowsAProblemBesideItsFieldAndKeepsWhatWasTyped()
    {
        var admin = await cases.SignedInAdminAsync();
        var before = await VersionsAsync(admin);
        var form = HtmlForm.Read(await admin.GetStringAsync("/cases/profile/departments"));
        form["departments[0].email"] = "security-at-northgate";
        form["departments[1].name"] = "Estates and Facilities";

        var response = await admin.PostAsync("/cases/profile/departments", form.ToContent());

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = await response.Content.ReadAsStringAsync();
        page.ShouldContain("Nothing was saved.");
        page.ShouldContain("""<p class="error-message" id="departments-0-email-error">Enter an email address""");
        page.ShouldContain("value=\"security-at-northgate\"");
        page.ShouldContain("value=\"Estates and Facilities\"");
        (await VersionsAsync(admin)).ShouldBe(before);
    }

    [Fact]
    public async Task APreviewShowsGuidanceAsThePublicSiteWouldAndSavesNothing()
    {
        var admin = await cases.SignedInAdminAsync();
        var before = await VersionsAsync(admin);
        var form = HtmlForm.Read(await admin.GetStringAsync("/cases/profile/guidance"));
        form["guidance[0].markdown"] = "Tell us **anything**. <script>alert(1)</script>";
        form["preview"] = "true";

        var response = await admin.PostAsync("/cases/profile/guidance", form.ToContent());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await response.Content.ReadAsStringAsync();
        page.ShouldContain("Preview: how the public site would show this");
        page.ShouldContain("<p>Tell us <strong>anything</strong>. &lt;script&gt;");
        (await VersionsAsync(admin)).ShouldBe(before);
    }

    [Fact]
    public async Task AnEditedSectionIsSavedAsANewVersionWithWhoAndWhy()
    {
        var admin = await cases.SignedInAdminAsync();
        var before = await VersionsAsync(admin);
        var form = HtmlForm.Read(await admin.GetStringAsync("/cases/profile/places"));
        var blank = int.Parse(form["rowCount"]!) - 1;
        form[$"places[{blank}].id"] = "city-campus/medical-school";
        form[$"places[{blank}].name"] = "Medical School";
        form[$"places[{blank}].campus"] = "City campus";
        form["summary"] = "The new Medical School opened";

        var response = await admin.PostAsync("/cases/profile/places", form.ToContent());

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await VersionsAsync(admin)).ShouldBe(before + 1);
        var current = JsonSerializer.Deserialize<InstitutionProfile>(await admin.GetStringAsync("/api/profile"), ProfileJson.Options)!;
        current.Places.ShouldContain(new Place { Id = "city-campus/medical-school", Name = "Medical School", Campus = "City campus" });
        (await admin.GetStringAsync("/cases/profile")).ShouldContain("The new Medical School opened");
    }

    [Fact]
    public async Task ACaseKeepsThePlaybookAndDeadlinesOfTheVersionItWasOpenedUnder()
    {
        var admin = await cases.SignedInAdminAsync();
        var before = cases.Report("Called a racist name outside the library.");
        await cases.PublishAsync(before);
        var opened = await Eventually.GetAsync(() => admin.GetAsync($"/api/cases/{before.Reference}"), r => r.IsSuccessStatusCode, "the case to open");
        var changed = DefaultProfile.Value with
        {
            Name = "Playbook test",
            Playbooks = [.. DefaultProfile.Value.Playbooks.Where(p => p.Category != "race"), new Playbook { Category = "race", Actions = ["Ring the race equality adviser."] }],
            Places = [.. DefaultProfile.Value.Places.Select(p => p.Id == "city-campus/library" ? p with { Name = "Harbour Library" } : p)],
        };
        (await admin.PutAsync("/api/profile", Yaml(changed))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = cases.Report("Racist graffiti in the lift.") with { ProfileVersion = await VersionsAsync(admin) };
        await cases.PublishAsync(after);
        // Made under the first version, but reaching cases only after the change: it is planned as it was made.
        var late = cases.Report("Racist remarks in the canteen.");
        await cases.PublishAsync(late);
        await Eventually.GetAsync(() => admin.GetAsync($"/api/cases/{after.Reference}"), r => r.IsSuccessStatusCode, "the second case to open");
        await Eventually.GetAsync(() => admin.GetAsync($"/api/cases/{late.Reference}"), r => r.IsSuccessStatusCode, "the late case to open");
        var latePlan = (await admin.GetFromJsonAsync<JsonElement>($"/api/cases/{late.Reference}")).GetProperty("plan");
        latePlan.GetProperty("profileVersion").GetInt32().ShouldBe(1);
        latePlan.GetProperty("actions")[0].GetProperty("actions")[0].GetString().ShouldBe("Support, reassure and validate the reporter's experience.");

        var oldPlan = (await admin.GetFromJsonAsync<JsonElement>($"/api/cases/{before.Reference}")).GetProperty("plan");
        var newPlan = (await admin.GetFromJsonAsync<JsonElement>($"/api/cases/{after.Reference}")).GetProperty("plan");

        oldPlan.GetProperty("actions")[0].GetProperty("actions")[0].GetString().ShouldBe("Support, reassure and validate the reporter's experience.");
        newPlan.GetProperty("actions")[0].GetProperty("actions")[0].GetString().ShouldBe("Ring the race equality adviser.");
        newPlan.GetProperty("profileVersion").GetInt32().ShouldBeGreaterThan(oldPlan.GetProperty("profileVersion").GetInt32());
        oldPlan.GetProperty("placeName").GetString().ShouldBe("City campus: Library");
        newPlan.GetProperty("placeName").GetString().ShouldBe("City campus: Harbour Library");
        (await admin.GetStringAsync($"/cases/{after.Reference}")).ShouldContain("City campus: Harbour Library");
        // The list names every case's place, kind, categories and status as the institution names them now.
        var list = await admin.GetStringAsync("/cases");
        list.ShouldNotContain("City campus: Library<");
        list.ShouldContain("<td>City campus: Harbour Library</td>");
        list.ShouldContain("<td>New</td>");
        // Submitted on Saturday 14 March 2026: triage by Monday, first contact on an anonymous report within five working days.
        var deadlines = oldPlan.GetProperty("deadlines").EnumerateArray().ToDictionary(d => d.GetProperty("step").GetString()!, d => d.GetProperty("due").GetString());
        deadlines["triage"].ShouldBe("2026-03-16");
        deadlines["first-contact"].ShouldBe("2026-03-20");
        opened.Dispose();
    }

    [Fact]
    public async Task OnlyAdminsReachTheProfile()
    {
        (await cases.Browser().GetAsync("/api/profile")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await cases.Browser().GetAsync("/cases/profile")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    static StringContent Yaml(InstitutionProfile profile) => new(ProfileFile.Write(profile, yaml: true), Encoding.UTF8, "application/yaml");

    static async Task<int> VersionsAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<List<ProfileVersionSummary>>("/api/profile/versions"))!.Count;
}

// Bank holidays and closures are listed ahead; admins hear of it six months before the list runs out.
public sealed class ClosuresWarningTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    [Fact]
    public async Task HealthTurnsDegradedAndTheProfilePageWarnsWithinSixMonthsOfTheLastClosure()
    {
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var last = (await db.CurrentProfileAsync(default))!.Profile.Closures.Max(c => c.To);
        var check = (DateOnly today) => new Harbour.Cases.Profile.ClosuresHealthCheck(db, new FixedClock(new DateTimeOffset(today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero)))
            .CheckHealthAsync(new());

        (await check(last.AddMonths(-7))).Status.ShouldBe(HealthStatus.Healthy);
        var soon = await check(last.AddMonths(-5));
        soon.Status.ShouldBe(HealthStatus.Degraded);
        soon.Description.ShouldBe($"The bank holidays and closures in the profile end on {last:d MMMM yyyy}. Add the next year's, or deadlines after that will count them as working days.");

        // The profile as an admin imports it, with this year's closures only: the page says so at once.
        var admin = await cases.SignedInAdminAsync();
        var profile = (await db.CurrentProfileAsync(default))!.Profile;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var shortList = profile with { Closures = [new() { Name = "Winter closure", From = today.AddDays(20), To = today.AddDays(30) }] };
        (await admin.PutAsync("/api/profile", new StringContent(Harbour.Cases.Profile.ProfileFile.Write(shortList, yaml: false), Encoding.UTF8, "application/json")))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await admin.GetStringAsync("/cases/profile");
        page.ShouldContain($"The bank holidays and closures in the profile end on {today.AddDays(30):d MMMM yyyy}.");
        var health = await cases.CreateClient().GetFromJsonAsync<JsonElement>("/health");
        health.GetProperty("checks").GetProperty("profile-closures").GetProperty("status").GetString().ShouldBe("Degraded");
    }
}
