using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbour.Cases.Casework;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Cases.Tests;

// The deadline watch runs rarely on its own here (an hour), so the tests run it, with the clock they choose.
public sealed class DeadlineWatchFactory : CasesFactory
{
    public DeadlineWatchFactory() => Settings["Casework:DeadlineWatchInterval"] = "01:00:00";
}

// A deadline that passes unmet is raised once per case and step, whatever the number of watchers, and tells the people
// responsible: the assignee and the team lead, or the whole team while nobody has the case.
public sealed class DeadlineWatchTests(DeadlineWatchFactory cases) : IClassFixture<DeadlineWatchFactory>
{
    const string Team = "Sexual violence and abuse";

    async Task<Dictionary<string, string?>> DueDatesAsync(HttpClient admin, ReportSubmitted report)
    {
        await cases.PublishAsync(report);
        await Eventually.GetAsync(() => admin.GetAsync($"/api/cases/{report.Reference}"), r => r.IsSuccessStatusCode, "the case to open");
        return (await admin.GetFromJsonAsync<JsonElement>($"/api/cases/{report.Reference}")).GetProperty("work").GetProperty("steps").EnumerateArray()
            .ToDictionary(s => s.GetProperty("step").GetString()!, s => s.GetProperty("dueOn").GetString());
    }

    [Fact]
    public async Task AReportOnAFridayNightBeforeABankHolidayIsDueAfterItAndBreachedOnlyTheDayAfter()
    {
        var admin = await cases.SignedInAdminAsync();
        // 23:30 on Friday 28 August 2026 in the UK (British Summer Time), before the Summer bank holiday on Monday.
        var report = cases.Report("Followed back to halls.") with
        {
            Kind = "named", Categories = ["stalking"], SubmittedAt = new DateTimeOffset(2026, 8, 28, 22, 30, 0, TimeSpan.Zero),
        };

        var due = await DueDatesAsync(admin, report);

        due["triage"].ShouldBe("2026-09-01", "Saturday, Sunday and the bank holiday are not working days");
        due["first-contact"].ShouldBe("2026-09-03");
        (await WatchAsync(new FixedClock(new DateTimeOffset(2026, 9, 1, 22, 59, 0, TimeSpan.Zero)))).ShouldBe(0, "23:59 on the day it is due is still in time");
        await WatchAsync(new FixedClock(new DateTimeOffset(2026, 9, 1, 23, 0, 0, TimeSpan.Zero)));
        (await RaisedAsync(report.Reference)).Select(b => b.Step).ShouldBe(["triage"], "from midnight UK time the next day");
        (await OutboxAsync<DeadlineMissed>()).Where(m => m.ReportId == report.ReportId).ShouldBe([new DeadlineMissed(report.ReportId, "triage", new(2026, 9, 1))],
            "analytics is told too");
    }

    [Fact]
    public async Task AReportDuringTheChristmasClosureIsDueAfterIt()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = cases.Report("Abuse shouted outside the chapel.") with
        {
            Categories = ["religion"], SubmittedAt = new DateTimeOffset(2026, 12, 29, 10, 0, 0, TimeSpan.Zero),
        };

        var due = await DueDatesAsync(admin, report);

        due["triage"].ShouldBe("2027-01-04", "the closure, New Year's Day and the weekend are not working days");
        due["first-contact"].ShouldBe("2027-01-08");
    }

    async Task<int> WatchAsync(TimeProvider clock)
    {
        await using var scope = cases.Services.CreateAsyncScope();
        return await DeadlineWatch.RaiseAsync(scope.ServiceProvider.GetRequiredService<CasesDbContext>(),
            scope.ServiceProvider.GetRequiredService<Harbour.ServiceDefaults.Security.Sealer>(),
            scope.ServiceProvider.GetRequiredKeyedService<Harbour.ServiceDefaults.Security.Sealer>(Harbour.ServiceDefaults.Security.Sealer.Mail), clock, CancellationToken.None);
    }

    async Task<List<SlaBreached>> RaisedAsync(string reference) => [.. (await OutboxAsync<SlaBreached>()).Where(b => b.Reference == reference)];

    async Task<List<T>> OutboxAsync<T>()
    {
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        return (await db.Outbox.AsNoTracking().Where(m => m.Type == typeof(T).FullName).Select(m => m.Payload).ToListAsync())
            .Select(p => JsonSerializer.Deserialize<T>(p, JsonSerializerOptions.Web)!).ToList();
    }

    [Fact]
    public async Task ADeadlinePassedUnmetIsRaisedOnceEvenWithTwoWatchersAndTellsTheTeamWhileNobodyHasTheCase()
    {
        var admin = await cases.SignedInAdminAsync();
        var (_, memberId) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, Team);
        var report = cases.Report("Touched on the dance floor.") with { Categories = ["sexual-harassment"], SubmittedAt = DateTimeOffset.UtcNow };
        await cases.PublishAsync(report);
        await Eventually.GetAsync(() => admin.GetAsync($"/api/cases/{report.Reference}"), r => r.IsSuccessStatusCode, "the case to open");
        (await WatchAsync(TimeProvider.System)).ShouldBe(0, "nothing is due yet");

        // A month on, two watchers (two replicas) look at once.
        var monthOn = new LaterClock(TimeSpan.FromDays(30));
        var counts = await Task.WhenAll(WatchAsync(monthOn), WatchAsync(monthOn));
        (await WatchAsync(monthOn)).ShouldBe(0, "a breach is raised once");

        var raised = await RaisedAsync(report.Reference);
        raised.Select(b => b.Step).ShouldBe(["first-contact", "triage"], ignoreOrder: true);
        counts.Sum().ShouldBe(2, "two steps, each raised by one watcher");
        var member = await AccountEmailAsync(memberId);
        raised.ShouldAllBe(b => b.Recipients.Any(r => r.Email == member), "the team hears while nobody has the case");
        var work = (await admin.GetFromJsonAsync<JsonElement>($"/api/cases/{report.Reference}")).GetProperty("work");
        work.GetProperty("steps").EnumerateArray().ShouldAllBe(s => s.GetProperty("state").GetString() == "due", "today it is not overdue yet");
    }

    [Fact]
    public async Task AnAssignedCaseTellsItsAssigneeAndTheTeamLeadAndAStepDoneOrACaseClosedIsNeverRaised()
    {
        var admin = await cases.SignedInAdminAsync();
        var (_, assigneeId) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, Team);
        var (_, memberId) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, Team);
        var leadId = await LeadAsync();
        var old = new DateTimeOffset(2026, 3, 14, 10, 0, 0, TimeSpan.Zero);
        var assigned = cases.Report("Pressured for photos by a tutor.") with { Categories = ["sexual-harassment"], SubmittedAt = old };
        var closed = cases.Report("Groped at the freshers' fair.") with { Categories = ["sexual-harassment"], SubmittedAt = old };
        foreach (var report in new[] { assigned, closed }) await cases.PublishAsync(report);
        foreach (var report in new[] { assigned, closed })
            await Eventually.GetAsync(() => admin.GetAsync($"/api/cases/{report.Reference}"), r => r.IsSuccessStatusCode, "the case to open");
        (await admin.PostAsJsonAsync($"/api/cases/{assigned.Reference}/assignment", new { assigneeId })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.PostAsJsonAsync($"/api/cases/{closed.Reference}/closure", new { outcome = "support-provided" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await WatchAsync(TimeProvider.System);

        var raised = (await RaisedAsync(assigned.Reference)).ShouldHaveSingleItem();
        raised.Step.ShouldBe("first-contact", "triage was met by the assignment");
        raised.DueOn.ShouldBe(new DateOnly(2026, 3, 20));
        raised.Recipients.Select(r => r.Email).ShouldBe([await AccountEmailAsync(assigneeId), await AccountEmailAsync(leadId)], ignoreOrder: true);
        (await RaisedAsync(assigned.Reference)).Single().Recipients.Select(r => r.Email).ShouldNotContain(await AccountEmailAsync(memberId));
        (await RaisedAsync(closed.Reference)).ShouldBeEmpty();
        var page = await admin.GetStringAsync($"/cases/{assigned.Reference}");
        page.ShouldContain("First contact was due by 20 March 2026 and is not done");
    }

    async Task<string> LeadAsync()
    {
        var (_, id) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, Team);
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(set => set.SetProperty(u => u.TeamLead, true));
        return id;
    }

    async Task<string> AccountEmailAsync(string id)
    {
        await using var scope = cases.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<CasesDbContext>().Users.SingleAsync(u => u.Id == id)).Email!;
    }
}
