using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Cases.Tests;

// The most sensitive work (the legal compartment, redaction, erasure, the audit log, subject access) asks for the second
// factor again once the session's last one is over 15 minutes old; ordinary case work does not.
public sealed class StepUpTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    // The session's second factor, as though it was last given this long ago.
    async Task SecondFactorGivenAgoAsync(string userId, TimeSpan ago)
    {
        await using var scope = cases.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<CasesDbContext>().StaffSessions.Where(s => s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.SecondFactorAt, DateTimeOffset.UtcNow - ago))).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task PastFifteenMinutesTheLegalCompartmentAndRedactionAskForTheSecondFactorAgainAndThenGoOn()
    {
        var (assignee, assigneeId) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, "Equality and inclusion");
        var report = await cases.OpenCaseAsync(assignee, cases.Report("Someone shouted abuse at me outside the library.") with { Categories = ["race"] });
        (await assignee.PostAsJsonAsync($"/api/cases/{report.Reference}/assignment", new { assigneeId })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var legal = $"/cases/{report.Reference}/legal";
        (await assignee.GetAsync(legal)).StatusCode.ShouldBe(HttpStatusCode.OK, "signed in a moment ago");

        await SecondFactorGivenAgoAsync(assigneeId, TimeSpan.FromMinutes(16));

        (await assignee.GetAsync($"/cases/{report.Reference}")).StatusCode.ShouldBe(HttpStatusCode.OK, "ordinary case work goes on");
        var asked = await assignee.GetAsync(legal);
        asked.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        asked.Headers.Location!.ToString().ShouldBe($"/cases/confirm?returnUrl={Uri.EscapeDataString(legal)}");
        (await assignee.GetAsync($"/cases/{report.Reference}/redact")).Headers.Location!.ToString().ShouldStartWith("/cases/confirm?");
        var api = await assignee.GetAsync($"/api/cases/{report.Reference}/legal-advice");
        api.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var problem = await api.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("title").GetString().ShouldBe("Confirm your second factor first");
        problem.GetProperty("detail").GetString()!.ShouldContain("/cases/confirm");
        (await assignee.PostAsJsonAsync($"/api/cases/{report.Reference}/redactions", new { field = "description", reason = "x" }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var page = await assignee.GetStringAsync(asked.Headers.Location!.ToString());
        page.ShouldContain("Confirm it is you");
        async Task<HttpResponseMessage> ConfirmAsync(string code)
        {
            var form = HtmlForm.Read(page, "main form");
            form["code"] = code;
            return await assignee.PostAsync("/cases/confirm", form.ToContent());
        }
        var wrong = await ConfirmAsync("000000");
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await wrong.Content.ReadAsStringAsync()).ShouldContain("That code is not right.");
        (await assignee.GetAsync(legal)).StatusCode.ShouldBe(HttpStatusCode.Redirect, "a wrong code confirms nothing");

        var right = await ConfirmAsync(StaffSignIn.CodeFor((await EmailOfAsync(assigneeId))));
        right.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        right.Headers.Location!.ToString().ShouldBe(legal, "back to what was asked for");
        (await assignee.GetAsync(legal)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await assignee.GetAsync($"/api/cases/{report.Reference}/legal-advice")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        (await db.AuditLog.AsNoTracking().CountAsync(a => a.Action == "staff.second-factor-confirmed" && a.Actor.Contains(assigneeId))).ShouldBe(1);
        (await db.AuditLog.AsNoTracking().CountAsync(a => a.Action == "staff.second-factor-refused" && a.Actor.Contains(assigneeId))).ShouldBe(1);
    }

    [Fact]
    public async Task PastFifteenMinutesTheAuditLogSubjectAccessAndErasureAskForTheSecondFactorAgain()
    {
        var (admin, adminId) = await cases.SignedInStaffAsync(StaffRoles.Admin);
        var report = await cases.OpenCaseAsync(admin, cases.Report("A group chat shared photos of me."));
        (await admin.GetAsync("/cases/audit")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await SecondFactorGivenAgoAsync(adminId, TimeSpan.FromMinutes(16));

        (await admin.GetAsync("/cases/audit")).Headers.Location!.ToString().ShouldBe("/cases/confirm?returnUrl=%2Fcases%2Faudit");
        (await admin.GetAsync("/cases/audit?handler=Csv")).Headers.Location!.ToString().ShouldStartWith("/cases/confirm?");
        (await admin.GetAsync("/cases/subject-access")).Headers.Location!.ToString().ShouldStartWith("/cases/confirm?");
        (await admin.GetAsync("/cases/staff")).StatusCode.ShouldBe(HttpStatusCode.OK, "other administration goes on");
        var form = HtmlForm.Read(await admin.GetStringAsync($"/cases/{report.Reference}"), "form:has(#confirm)");
        (form["decision"], form["confirm"]) = ("erase", report.Reference);
        var erase = await admin.PostAsync($"/cases/{report.Reference}?handler=Erasure", form.ToContent());
        erase.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        erase.Headers.Location!.ToString().ShouldStartWith("/cases/confirm?");
        (await admin.GetAsync($"/api/cases/{report.Reference}")).StatusCode.ShouldBe(HttpStatusCode.OK, "nothing erased without the second factor");
    }

    async Task<string> EmailOfAsync(string userId)
    {
        await using var scope = cases.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<CasesDbContext>().Users.SingleAsync(u => u.Id == userId)).Email!;
    }
}
