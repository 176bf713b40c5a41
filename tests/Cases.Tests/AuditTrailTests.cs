using System.Net;
using Harbour.Cases.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Cases.Tests;

// The audit trail: chained so that tampering shows, readable and exportable by admins.
public sealed class AuditTrailTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    [Fact]
    public async Task AnEntryEditedOrRemovedBehindHarboursBackBreaksTheChain()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = cases.Report("Threatened in the car park.");
        await cases.PublishAsync(report);
        await Eventually.GetAsync(() => admin.GetAsync($"/cases/{report.Reference}"), r => r.IsSuccessStatusCode, "the case to open");
        await admin.GetAsync($"/cases/{report.Reference}");
        await admin.GetAsync($"/cases/{report.Reference}");
        (await VerifyAsync(admin)).ShouldContain("The chain holds");
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var views = await db.AuditLog.Where(a => a.Action == "case.viewed").OrderBy(a => a.Id).Select(a => a.Id).ToListAsync();
        views.Count.ShouldBeGreaterThanOrEqualTo(3);
        (await db.AuditLog.SingleAsync(a => a.Id == views[2])).Screen.ShouldBe("GET /cases/{reference}", "the screen it was read from");
        (await db.BrokenLinksAsync(default)).ShouldBeEmpty();

        // Someone with the database server's admin rights (not Harbour's, which cannot) changes where a look came from; then
        // hides that the case was read, and removes another entry.
        await cases.OutsideHarbourAsync($"UPDATE audit.log SET screen = 'GET /api/cases' WHERE id = {views[2]}");
        (await db.BrokenLinksAsync(default)).ShouldBe([views[2]]);
        // A detail is chained by its hash (so that it can expire): one rewritten, or emptied before its time, breaks the chain too.
        db.AuditLog.AddRange(AuditEntry.By("Ada Admin", "staff.signed-in", TimeProvider.System, detail: "from 203.0.113.7"),
            AuditEntry.By("Ada Admin", "staff.signed-in", TimeProvider.System, detail: "from 203.0.113.8"));
        await db.SaveChangesAsync();
        var searches = await db.AuditLog.Where(a => a.Action == "staff.signed-in").OrderByDescending(a => a.Id).Take(2).Select(a => a.Id).ToListAsync();
        (await db.BrokenLinksAsync(default)).ShouldBe([views[2]]);
        await cases.OutsideHarbourAsync($"UPDATE audit.log SET detail = 'Someone Else' WHERE id = {searches[0]}");
        await cases.OutsideHarbourAsync($"UPDATE audit.log SET detail = NULL WHERE id = {searches[1]}");
        (await db.BrokenLinksAsync(default)).ShouldBe([views[2], searches[1], searches[0]]);
        await cases.OutsideHarbourAsync($"UPDATE audit.log SET actor = 'nobody' WHERE id = {views[0]}");
        await cases.OutsideHarbourAsync($"DELETE FROM audit.log WHERE id = {views[1]}");

        var broken = await db.BrokenLinksAsync(default);
        broken.ShouldContain(views[0], "the edited entry");
        broken.ShouldContain(await db.AuditLog.Where(a => a.Id > views[1]).MinAsync(a => a.Id), "the entry after the removed one");
        var page = await VerifyAsync(admin);
        page.ShouldContain("The chain is broken");
        page.ShouldContain(views[0].ToString());
    }

    [Fact]
    public async Task AdminsReadTheTrailPerCaseAndPersonAndExportItWithoutFormulae()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = cases.Report("Pushed on the stairs.");
        await cases.PublishAsync(report);
        await Eventually.GetAsync(() => admin.GetAsync($"/cases/{report.Reference}"), r => r.IsSuccessStatusCode, "the case to open");
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        db.AuditLog.Add(AuditEntry.By("=HYPERLINK(\"http://attacker.example\")", "staff.sign-in-refused", TimeProvider.System));
        await db.SaveChangesAsync();

        var perCase = await admin.GetStringAsync($"/cases/audit?reference={report.Reference}");
        perCase.ShouldContain("case.viewed");
        perCase.ShouldNotContain("staff.signed-in");
        (await admin.GetStringAsync("/cases/audit?actor=Administrator&action=staff.signed-in")).ShouldContain("staff.signed-in");

        var csv = await admin.GetAsync("/cases/audit?handler=Csv");
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var text = await csv.Content.ReadAsStringAsync();
        text.ShouldStartWith("id,time (UK),who,action,case,detail,screen");
        text.ShouldContain("GET /cases/{reference}", customMessage: "the screen each look came from");
        text.ShouldContain(report.Reference);
        text.ShouldContain("'=HYPERLINK", customMessage: "a cell a spreadsheet would run as a formula is escaped");
        text.ShouldNotContain(",=HYPERLINK");
        text.ShouldNotContain(",\"=HYPERLINK");
        (await db.AuditLog.CountAsync(a => a.Action == "audit.exported")).ShouldBe(1);
    }

    static async Task<string> VerifyAsync(HttpClient admin)
    {
        var form = HtmlForm.Read(await admin.GetStringAsync("/cases/audit"), "form[action*='handler=Verify']");
        var response = await admin.PostAsync("/cases/audit?handler=Verify", form.ToContent());
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }
}
