using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;

namespace Harbour.Cases.Tests;

// The support plan of a case: the directory as it fits the case, a referral kept once with a check-in task, the reporter told
// which service was suggested (SupportSuggested), and what became of it on the timeline.
public sealed class SupportPlanTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    const string Team = "Equality and inclusion";

    static async Task<JsonElement> WorkAsync(HttpClient staff, string reference) =>
        (await staff.GetFromJsonAsync<JsonElement>($"/api/cases/{reference}")).GetProperty("work");

    [Fact]
    public async Task AReferralIsKeptOnceTheReporterIsToldAndItsUptakeIsFollowedUp()
    {
        var (staff, staffId) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, Team);
        var report = await cases.OpenCaseAsync(staff, cases.Report("Called names on the bus to campus.") with { Categories = ["race"], ReporterRole = "student" });

        var directory = (await staff.GetFromJsonAsync<JsonElement[]>($"/api/cases/{report.Reference}/support"))!.Select(s => s.GetProperty("id").GetString()).ToList();
        directory.ShouldContain("hate-crime-centre");
        directory.ShouldContain("counselling");
        directory.ShouldNotContain("sarc", "for sexual misconduct only");
        directory.ShouldNotContain("employee-assistance", "for staff only");
        directory[0].ShouldBe("campus-security", "urgent services first");

        var (ready, suggested) = cases.Listen<SupportSuggested>(s => s.ReportId == report.ReportId);
        await ready;
        var referral = new { referralId = Guid.CreateVersion7(), serviceId = "hate-crime-centre", how = "warm-referral" };
        (await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/referrals", referral)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/referrals", referral)).StatusCode.ShouldBe(HttpStatusCode.NoContent, "sent twice, kept once");

        var told = await suggested.WaitAsync(TimeSpan.FromSeconds(30));
        (told.ReferralId, told.ServiceId, told.How).ShouldBe((referral.referralId, "hate-crime-centre", "warm-referral"));
        var work = await WorkAsync(staff, report.Reference);
        var kept = work.GetProperty("referrals").EnumerateArray().ShouldHaveSingleItem();
        kept.GetProperty("service").GetString().ShouldBe("Northgate Hate Crime Reporting Centre");
        kept.GetProperty("uptake").GetString().ShouldBe("not-known");
        var task = work.GetProperty("tasks").EnumerateArray().ShouldHaveSingleItem();
        task.GetProperty("title").GetString().ShouldStartWith("Check in: did the reporter reach Northgate Hate Crime Reporting Centre");
        task.GetProperty("ownerId").GetString().ShouldBe(staffId);
        DateOnly.Parse(task.GetProperty("dueOn").GetString()!).ShouldBeGreaterThan(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(4));

        (await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/referrals/{referral.referralId}/uptake",
            new { uptake = "taken-up", helped = "partly", note = "Went once; may go back." })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/referrals/{referral.referralId}/uptake",
            new { uptake = "taken-up", helped = "yes" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        work = await WorkAsync(staff, report.Reference);
        kept = work.GetProperty("referrals").EnumerateArray().ShouldHaveSingleItem();
        (kept.GetProperty("uptake").GetString(), kept.GetProperty("helped").GetString(), kept.GetProperty("note").GetString())
            .ShouldBe(("taken-up", "yes", "Went once; may go back."));
        var timeline = work.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("what").GetString()).ToList();
        timeline.ShouldContain("Warm referral (introduced to the service): Northgate Hate Crime Reporting Centre");
        timeline.ShouldContain("Northgate Hate Crime Reporting Centre: taken up, it helped a little");
        timeline.ShouldContain("Northgate Hate Crime Reporting Centre: taken up, it helped");
    }

    [Fact]
    public async Task AReferralThatDoesNotAddUpIsRefusedBesideItsFieldAndTheFormKeepsWhatWasTyped()
    {
        var (staff, _) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, Team);
        var report = await cases.OpenCaseAsync(staff, cases.Report("Abuse shouted in the car park.") with { Categories = ["race"] });
        var tomorrow = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(2)).ToString("yyyy-MM-dd");
        foreach (var (field, request) in new (string, object)[]
        {
            ("serviceId", new { serviceId = "the-moon", how = "signpost" }),
            ("how", new { serviceId = "counselling", how = "carrier-pigeon" }),
            ("madeOn", new { serviceId = "counselling", how = "signpost", madeOn = tomorrow }),
            ("checkInOn", new { serviceId = "counselling", how = "signpost", checkInOn = "2020-01-01" }),
        })
        {
            var answer = await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/referrals", request);
            answer.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(field);
        }
        (await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/referrals/{Guid.NewGuid()}/uptake", new { uptake = "taken-up" }))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var form = HtmlForm.Read(await staff.GetStringAsync($"/cases/{report.Reference}"), "form:has(#referralHow)");
        form["serviceId"] = "counselling";
        form["madeOn"] = tomorrow;
        var page = await staff.PostAsync($"/cases/{report.Reference}?handler=Referral", form.ToContent());
        page.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("id=\"madeOn-error\"");
        html.ShouldContain($"value=\"{tomorrow}\"");
        html.ShouldContain("<option value=\"counselling\" selected=\"selected\">");
        (await WorkAsync(staff, report.Reference)).GetProperty("referrals").GetArrayLength().ShouldBe(0);

        // Another team's case manager cannot see the case, so cannot add to its plan.
        var (outsider, _) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, "Faith and belief");
        (await outsider.PostAsJsonAsync($"/api/cases/{report.Reference}/referrals", new { serviceId = "counselling", how = "signpost" }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
