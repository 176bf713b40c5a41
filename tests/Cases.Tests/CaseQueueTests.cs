using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Cases.Tests;

// The queue: cases awaiting assignment first, then by the soonest due step; overdue marked; filters; unread messages until
// a case manager opens the case; My work.
public sealed class CaseQueueTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    async Task<ReportSubmitted> OpenAsync(HttpClient staff, string description, DateTimeOffset submittedAt, string category = "race")
    {
        var report = cases.Report(description) with { Categories = [category], SubmittedAt = submittedAt };
        await cases.PublishAsync(report);
        await Eventually.GetAsync(() => staff.GetAsync($"/api/cases/{report.Reference}"), r => r.IsSuccessStatusCode, "the case to open");
        return report;
    }

    static async Task<List<JsonElement>> QueueAsync(HttpClient staff, string query = "") =>
        (await staff.GetFromJsonAsync<JsonElement>($"/api/cases{query}")).EnumerateArray().ToList();

    static List<string?> References(List<JsonElement> rows) => rows.Select(r => r.GetProperty("reference").GetString()).ToList();

    [Fact]
    public async Task AMessageFromTheReporterIsUnreadUntilACaseManagerOpensTheCase()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = await OpenAsync(admin, "The same man at the gym again.", DateTimeOffset.UtcNow, "stalking");
        var sealer = cases.Services.GetRequiredService<Sealer>();

        await cases.PublishAsync(new ReporterWrote(Guid.NewGuid(), report.ReportId, report.Reference, sealer.Seal("He followed me out."), DateTimeOffset.UtcNow));

        var unread = await Eventually.GetAsync(() => QueueAsync(admin, "?unread=true"), rows => References(rows).Contains(report.Reference), "the message to arrive");
        unread.Single(r => r.GetProperty("reference").GetString() == report.Reference).GetProperty("unread").GetInt32().ShouldBe(1);
        await admin.GetAsync($"/cases/{report.Reference}");
        References(await QueueAsync(admin, "?unread=true")).ShouldNotContain(report.Reference);
    }

    [Fact]
    public async Task ACaseOpenedBeforeClocksExistedGetsThemWhenFirstReadAndItsNextStepWithThem()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = await OpenAsync(admin, "Someone scratched words into my door.", DateTimeOffset.UtcNow);
        await using (var scope = cases.Services.CreateAsyncScope())
        {
            // As a case opened before its steps had clocks: none, and no next step.
            var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
            var id = await db.Cases.Where(c => c.Reference == report.Reference).Select(c => c.Id).SingleAsync();
            await db.Database.ExecuteSqlAsync($"DELETE FROM case_steps WHERE case_id = {id}");
            await db.Database.ExecuteSqlAsync($"UPDATE cases SET next_step = NULL, next_due_on = NULL WHERE id = {id}");
        }
        QueueRow(await QueueAsync(admin), report).GetProperty("nextStep").ValueKind.ShouldBe(JsonValueKind.Null);

        (await admin.GetAsync($"/api/cases/{report.Reference}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.GetAsync($"/cases/{report.Reference}")).StatusCode.ShouldBe(HttpStatusCode.OK, "read again, once it has its clocks");

        QueueRow(await QueueAsync(admin), report).GetProperty("nextStep").GetString().ShouldBe("triage");
    }

    static JsonElement QueueRow(List<JsonElement> rows, ReportSubmitted report) =>
        rows.Single(r => r.GetProperty("reference").GetString() == report.Reference);

    [Fact]
    public async Task MyWorkCountsMyOpenCasesAndWhatNeedsMeNow()
    {
        var admin = await cases.SignedInAdminAsync();
        var (manager, id) = await cases.SignedInStaffAsync(StaffRoles.CaseManager);
        var report = await OpenAsync(admin, "Called names on the way to the lab.", new DateTimeOffset(2026, 3, 14, 10, 0, 0, TimeSpan.Zero));
        (await manager.GetFromJsonAsync<JsonElement>("/api/cases/my-work")).GetProperty("open").GetInt32().ShouldBe(0);
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/assignment", new { assigneeId = id })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var work = await manager.GetFromJsonAsync<JsonElement>("/api/cases/my-work");

        work.GetProperty("open").GetInt32().ShouldBe(1);
        work.GetProperty("overdue").GetInt32().ShouldBe(1);
        work.GetProperty("cases").EnumerateArray().Single().GetProperty("reference").GetString().ShouldBe(report.Reference);
        (await manager.GetStringAsync("/cases/my-work")).ShouldContain($"/cases/{report.Reference}");
    }
}

// The queue's order and filters, on a service of its own so that no other test's cases are in it.
public sealed class CaseQueueOrderTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    async Task<ReportSubmitted> OpenAsync(HttpClient staff, string description, DateTimeOffset submittedAt, string category = "race")
    {
        var report = cases.Report(description) with { Categories = [category], SubmittedAt = submittedAt };
        await cases.PublishAsync(report);
        await Eventually.GetAsync(() => staff.GetAsync($"/api/cases/{report.Reference}"), r => r.IsSuccessStatusCode, "the case to open");
        return report;
    }

    static async Task<List<JsonElement>> QueueAsync(HttpClient staff, string query = "") =>
        (await staff.GetFromJsonAsync<JsonElement>($"/api/cases{query}")).EnumerateArray().ToList();

    static List<string?> References(List<JsonElement> rows) => rows.Select(r => r.GetProperty("reference").GetString()).ToList();

    [Fact]
    public async Task TheQueueShowsWhatWaitsFirstThenWhatIsDueSoonestAndFiltersIt()
    {
        var admin = await cases.SignedInAdminAsync();
        var me = (await admin.GetFromJsonAsync<JsonElement>("/api/staff")).EnumerateArray()
            .Single(a => a.GetProperty("email").GetString() == cases.AdminEmail).GetProperty("id").GetString();
        var now = DateTimeOffset.UtcNow;
        var recent = await OpenAsync(admin, "Shouted at in the refectory.", now);
        var old = await OpenAsync(admin, "Spat at near the bus stop.", new DateTimeOffset(2026, 3, 14, 10, 0, 0, TimeSpan.Zero), "religion");
        var mine = await OpenAsync(admin, "A note pushed under my door.", new DateTimeOffset(2026, 3, 10, 10, 0, 0, TimeSpan.Zero));
        (await admin.PostAsJsonAsync($"/api/cases/{mine.Reference}/assignment", new { assigneeId = me })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var response = await admin.GetAsync("/api/cases");
        response.Headers.GetValues("X-Total-Count").Single().ShouldBe("3");
        var rows = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();

        References(rows).ShouldBe([old.Reference, recent.Reference, mine.Reference]);
        rows[0].GetProperty("overdue").GetBoolean().ShouldBeTrue();
        rows[0].GetProperty("nextStep").GetString().ShouldBe("triage");
        rows[0].GetProperty("nextDueOn").GetString().ShouldBe("2026-03-16");
        rows[0].GetProperty("assignee").ValueKind.ShouldBe(JsonValueKind.Null);
        rows[1].GetProperty("overdue").GetBoolean().ShouldBeFalse();
        rows[2].GetProperty("assignee").GetString().ShouldBe("Administrator");
        rows[2].GetProperty("nextStep").GetString().ShouldBe("first-contact", "assigning met triage");

        References(await QueueAsync(admin, "?overdue=true")).ShouldBe([old.Reference, mine.Reference]);
        References(await QueueAsync(admin, "?assignee=none")).ShouldBe([old.Reference, recent.Reference]);
        References(await QueueAsync(admin, "?assignee=me")).ShouldBe([mine.Reference]);
        References(await QueueAsync(admin, "?category=religion")).ShouldBe([old.Reference]);
        References(await QueueAsync(admin, $"?search={recent.Reference[^6..]}")).ShouldBe([recent.Reference]);
        References(await QueueAsync(admin, "?status=closed")).ShouldBeEmpty();

        var page = await admin.GetStringAsync("/cases?overdue=true");
        page.ShouldContain("<tr class=\"overdue\">");
        page.ShouldContain("2 cases");
        page.ShouldNotContain(recent.Reference);
    }
}
