using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;

namespace Harbour.Cases.Tests;

// Each case manager sees the cases routed to their teams; nobody sees a case they are involved in; an analyst sees none.
public sealed class NeedToKnowTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    [Fact]
    public async Task ASpecialistSeesTheirTeamsCasesAndAnOtherCaseAnswersLikeNoCaseAtAll()
    {
        var admin = await cases.SignedInAdminAsync();
        var harassment = await OpenAsync(admin, "Touched without consent at the party.", "sexual-harassment");
        var faith = await OpenAsync(admin, "My headscarf was pulled in the lift.", "religion");
        var (specialist, _) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, "Sexual violence and abuse");

        var list = await specialist.GetFromJsonAsync<JsonElement>("/api/cases");
        var references = list.EnumerateArray().Select(c => c.GetProperty("reference").GetString()).ToList();
        references.ShouldContain(harassment.Reference);
        references.ShouldNotContain(faith.Reference);
        (await specialist.GetAsync($"/api/cases/{harassment.Reference}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var hidden = await specialist.GetAsync($"/cases/{faith.Reference}");
        var missing = await specialist.GetAsync("/cases/HR-2026-999999");
        hidden.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // The same page, but for the reference and the form token that every page carries anew.
        static string Same(string page, string reference) =>
            System.Text.RegularExpressions.Regex.Replace(page.Replace(reference, "REF"), "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]+\"", "TOKEN");
        Same(await hidden.Content.ReadAsStringAsync(), faith.Reference).ShouldBe(Same(await missing.Content.ReadAsStringAsync(), "HR-2026-999999"));
        (await specialist.GetAsync($"/api/cases/{faith.Reference}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await specialist.PostAsJsonAsync($"/api/cases/{faith.Reference}/messages", new { body = "Hello" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await specialist.PostAsJsonAsync($"/api/cases/{faith.Reference}/status", new { status = "closed" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await specialist.GetAsync($"/api/cases/{faith.Reference}/evidence/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SomebodyInvolvedInACaseNeverSeesItAgain()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = await OpenAsync(admin, "A lecturer keeps commenting on my body.", "sexual-harassment");
        var (declares, _) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, "Sexual violence and abuse");
        var (named, namedId) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, "Sexual violence and abuse");

        var page = await declares.GetStringAsync($"/cases/{report.Reference}");
        var form = HtmlForm.Read(page, "form:has(button.secondary[type=submit]):last-of-type");
        (await declares.PostAsync($"/cases/{report.Reference}?handler=Involved", form.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/involvements", new { userId = namedId })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        foreach (var person in new[] { declares, named })
        {
            (await person.GetAsync($"/api/cases/{report.Reference}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await person.GetStringAsync("/api/cases")).ShouldNotContain(report.Reference);
        }
        (await admin.GetAsync($"/api/cases/{report.Reference}")).StatusCode.ShouldBe(HttpStatusCode.OK, "the admin is not involved");
        (await named.PostAsJsonAsync($"/api/cases/{report.Reference}/involvements", new { userId = namedId })).StatusCode
            .ShouldBe(HttpStatusCode.NotFound, "nor can they act on it");
    }

    [Fact]
    public async Task AnAnalystSeesNoCase()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = await OpenAsync(admin, "Slurs shouted at the bus stop.", "race");
        var (analyst, _) = await cases.SignedInStaffAsync(StaffRoles.Analyst);

        (await analyst.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await analyst.GetAsync($"/api/cases/{report.Reference}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    async Task<ReportSubmitted> OpenAsync(HttpClient admin, string description, string category)
    {
        var report = cases.Report(description) with { Categories = [category] };
        await cases.PublishAsync(report);
        await Eventually.GetAsync(() => admin.GetAsync($"/api/cases/{report.Reference}"), r => r.IsSuccessStatusCode, "the case to open");
        return report;
    }
}
