using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbour.Cases.Staff;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Cases.Tests;

// Legal advice is a compartment within the case: whoever has the case, the leads of its teams and admins ask for it, record it
// and read it (every look audited); a colleague of the same team sees only that advice was asked for and recorded.
public sealed class LegalAdviceTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    const string Team = "Equality and inclusion";

    async Task<HttpClient> LeadAsync()
    {
        var (lead, leadId) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, Team);
        await using var scope = cases.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<CasesDbContext>().Users.Where(u => u.Id == leadId)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.TeamLead, true));
        return lead;
    }

    [Fact]
    public async Task OnlyTheAssigneeTheLeadAndAdminsReadTheAdviceAndEveryLookIsAudited()
    {
        var (assignee, assigneeId) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, Team);
        var (colleague, _) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, Team);
        var lead = await LeadAsync();
        var admin = await cases.SignedInAdminAsync();
        var report = await cases.OpenCaseAsync(assignee, cases.NamedReport("A lecturer made racist remarks in a seminar.", "Dana Okafor", "dana@student.test")
            with { Categories = ["race"] });
        (await assignee.PostAsJsonAsync($"/api/cases/{report.Reference}/assignment", new { assigneeId })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var (ready, requested) = cases.Listen<DepartmentAlertRequested>(a => a.Reference == report.Reference);
        await ready;

        var question = new { departmentId = "legal", purpose = "legal-advice", text = "SECRET-QUESTION-TEXT: may we share the seminar recording with HR?" };
        var refused = await colleague.PostAsJsonAsync($"/api/cases/{report.Reference}/alerts", question);
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "a colleague who does not have the case cannot ask for advice");
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("purpose", out _).ShouldBeTrue();
        (await assignee.PostAsJsonAsync($"/api/cases/{report.Reference}/alerts", question)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var asked = await requested.WaitAsync(TimeSpan.FromSeconds(30));
        asked.Subject.ShouldContain("a request for advice for Legal Services");
        asked.ReplyTo.ShouldNotBeNull().ShouldStartWith("casemanager-", customMessage: "the advice answers the person who asked, not the team's shared mailbox");
        TestMail.Sealer.Open<string>(asked.SealedBody).ShouldContain("Reply to this email to reach Test CaseManager alone.");
        (await colleague.GetAsync($"/cases/{report.Reference}/departments?purpose=legal-advice")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await colleague.PostAsJsonAsync($"/api/cases/{report.Reference}/legal-advice", new { advice = "x" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await assignee.PostAsJsonAsync($"/api/cases/{report.Reference}/legal-advice", new { advice = " " })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await assignee.PostAsJsonAsync($"/api/cases/{report.Reference}/legal-advice", new { advice = "SECRET-ADVICE-TEXT: share it only with the reporter's consent." }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);

        foreach (var reader in new[] { assignee, lead, admin })
        {
            var compartment = await reader.GetFromJsonAsync<JsonElement>($"/api/cases/{report.Reference}/legal-advice");
            compartment.GetProperty("advice").EnumerateArray().ShouldHaveSingleItem().GetProperty("advice").GetString().ShouldBe("SECRET-ADVICE-TEXT: share it only with the reporter's consent.");
            compartment.GetProperty("requests").EnumerateArray().ShouldHaveSingleItem().GetProperty("body").GetString()!.ShouldContain("SECRET-QUESTION-TEXT");
        }
        (await colleague.GetAsync($"/api/cases/{report.Reference}/legal-advice")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await colleague.GetAsync($"/cases/{report.Reference}/legal")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var seen = await (await colleague.GetAsync($"/api/cases/{report.Reference}")).Content.ReadAsStringAsync();
        seen.ShouldNotContain("SECRET-ADVICE-TEXT");
        seen.ShouldNotContain("SECRET-QUESTION-TEXT");
        seen.ShouldContain("Legal advice recorded (in the legal compartment)");
        (await colleague.GetStringAsync($"/cases/{report.Reference}")).ShouldNotContain("Legal advice (restricted)");
        (await assignee.GetStringAsync($"/cases/{report.Reference}/legal")).ShouldContain("SECRET-ADVICE-TEXT: share it only with the reporter&#x27;s consent.");

        var work = (await assignee.GetFromJsonAsync<JsonElement>($"/api/cases/{report.Reference}")).GetProperty("work");
        work.GetProperty("tasks").EnumerateArray().ShouldContain(t => t.GetProperty("title").GetString() == "Follow up the legal advice with the reporter");
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var caseId = await db.Cases.Where(c => c.Reference == report.Reference).Select(c => c.Id).SingleAsync();
        (await db.AuditLog.CountAsync(a => a.CaseId == caseId && a.Action == "case.legal-advice-viewed")).ShouldBeGreaterThanOrEqualTo(4);
    }
}

// Recording a disclosure from the page, as a browser sends the form (its antiforgery token included).
public sealed class DisclosurePageTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    [Fact]
    public async Task TheDisclosureFormIsSentWithWhatWasTypedAndWaitsForItsAnswer()
    {
        var (staff, _) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, "Equality and inclusion");
        var (ready, recorded) = cases.Listen<DisclosureRecorded>(_ => true);
        await ready;
        var form = HtmlForm.Read(await staff.GetStringAsync("/cases/disclosures"), "form:has(#description)");
        form["channel"] = "phone";
        form["kind"] = "anonymous";
        form["categories"] = "race";
        form["description"] = "Told me on the phone that a student shouted abuse in the lab.";
        form["location"] = "online";
        form["occurredWhen"] = "last Friday";
        form["reporterRole"] = "student";

        var sent = await staff.PostAsync("/cases/disclosures", form.ToContent());

        sent.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var disclosed = await recorded.WaitAsync(TimeSpan.FromSeconds(30));
        sent.Headers.Location!.ToString().ShouldBe($"/cases/disclosures/{disclosed.DisclosureId}");
        disclosed.Channel.ShouldBe("phone");
        var report = cases.Services.GetRequiredService<Sealer>().Open<JsonElement>(disclosed.SealedReport);
        (report.GetProperty("description").GetString(), report.GetProperty("categories")[0].GetString()).ShouldBe(
            ("Told me on the phone that a student shouted abuse in the lab.", "race"));
        var waiting = await staff.GetAsync(sent.Headers.Location);
        waiting.Headers.CacheControl!.NoStore.ShouldBeTrue();
        (await waiting.Content.ReadAsStringAsync()).ShouldContain("Recording the disclosure");

        await cases.PublishAsync(new DisclosureRefused(disclosed.DisclosureId, new Dictionary<string, string[]> { ["location"] = ["Choose where it happened."] }));
        var again = await Eventually.GetAsync(() => staff.GetStringAsync(sent.Headers.Location.ToString()), html => html.Contains("Choose where it happened."), "the refusal");
        again.ShouldContain("Told me on the phone that a student shouted abuse in the lab.");
        again.ShouldContain("<option value=\"phone\" selected=\"selected\">");
    }
}
