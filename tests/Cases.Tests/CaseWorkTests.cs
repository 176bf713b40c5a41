using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbour.Cases.Casework;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Cases.Tests;

// A case from arrival to closure: assignment (which meets triage), first contact, notes and their corrections, status
// changes with reasons, closure with an outcome and a learning summary, and reopening.
public sealed class CaseWorkTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    const string Team = "Sexual violence and abuse";

    async Task<ReportSubmitted> OpenAsync(HttpClient staff, string description, string category = "sexual-harassment", DateTimeOffset? submittedAt = null)
    {
        var report = cases.Report(description) with { Categories = [category], SubmittedAt = submittedAt ?? DateTimeOffset.UtcNow };
        await cases.PublishAsync(report);
        await Eventually.GetAsync(() => staff.GetAsync($"/api/cases/{report.Reference}"), r => r.IsSuccessStatusCode, "the case to open");
        return report;
    }

    static async Task<JsonElement> WorkAsync(HttpClient staff, string reference) =>
        (await staff.GetFromJsonAsync<JsonElement>($"/api/cases/{reference}")).GetProperty("work");

    async Task<List<T>> OutboxAsync<T>()
    {
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var rows = await db.Outbox.AsNoTracking().Where(m => m.Type == typeof(T).FullName).Select(m => m.Payload).ToListAsync();
        return rows.Select(p => JsonSerializer.Deserialize<T>(p, JsonSerializerOptions.Web)!).ToList();
    }

    [Fact]
    public async Task AssigningACaseMeetsTriageTellsTheAssigneeAndLetsThemSeeIt()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = await OpenAsync(admin, "Followed home from the library twice.");
        // A case manager of another team cannot see the case until it is given to them.
        var (colleague, colleagueId) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, "Faith and religion");
        (await colleague.GetAsync($"/api/cases/{report.Reference}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var assigned = await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/assignment",
            new { assigneeId = colleagueId, note = "You know the hall staff best." });

        assigned.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/assignment", new { assigneeId = colleagueId })).StatusCode
            .ShouldBe(HttpStatusCode.NoContent, "the same assignment sent again is the one already made");
        var work = await WorkAsync(colleague, report.Reference);
        work.GetProperty("assignee").GetString().ShouldBe("Test CaseManager");
        var triage = work.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == "triage");
        triage.GetProperty("state").GetString().ShouldBe("met");
        var timeline = work.GetProperty("timeline").EnumerateArray().ToList();
        timeline.ShouldContain(t => t.GetProperty("what").GetString() == "Assigned to Test CaseManager"
            && t.GetProperty("text").GetString() == "You know the hall staff best.");
        timeline.ShouldContain(t => t.GetProperty("what").GetString() == "Triage done");
        timeline.ShouldContain(t => t.GetProperty("what").GetString() == "Status: Triaged");
        var email = (await OutboxAsync<CaseAssigned>()).Single(a => a.Reference == report.Reference);
        email.AssigneeName.ShouldBe("Test CaseManager");
        email.AssigneeEmail.ShouldNotBeNull().ShouldStartWith("casemanager-");
        email.ToThemselves.ShouldBeFalse();

        // Nobody may be given a case they are involved in, nor a team that does not exist. The assignee who says they are
        // involved hands the case back to the queue.
        (await colleague.PostAsJsonAsync($"/api/cases/{report.Reference}/involvements", new { })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await WorkAsync(admin, report.Reference)).GetProperty("assignee").ValueKind.ShouldBe(JsonValueKind.Null);
        var refused = await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/assignment", new { assigneeId = colleagueId });
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("assigneeId", out _).ShouldBeTrue();
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/assignment", new { team = "Astrology" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task FirstContactIsRecordedWithHowItWasMade()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = await OpenAsync(admin, "Slurs shouted across the sports hall.");

        var withoutHow = await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/steps/first-contact", new { });
        withoutHow.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await withoutHow.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("how", out _).ShouldBeTrue();
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/steps/first-contact", new { how = "phone" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/steps/first-contact", new { how = "email" })).StatusCode
            .ShouldBe(HttpStatusCode.NoContent, "a step already done stays as it was");

        var work = await WorkAsync(admin, report.Reference);
        var contact = work.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == "first-contact");
        contact.GetProperty("state").GetString().ShouldBe("met");
        contact.GetProperty("how").GetString().ShouldBe("phone");
        contact.GetProperty("metBy").GetString()!.ShouldStartWith("Administrator");
        (await admin.GetFromJsonAsync<JsonElement>($"/api/cases/{report.Reference}")).GetProperty("summary").GetProperty("status").GetString()
            .ShouldBe(CaseStatuses.WithCaseManager);
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/steps/sign-off", new { })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AStepNotMetInTimeIsOverdueAndSaysSoOnTheTimeline()
    {
        var admin = await cases.SignedInAdminAsync();
        // Made on Saturday 14 March 2026: triage was due on Monday 16 March.
        var report = await OpenAsync(admin, "Messages from a stranger every night.", submittedAt: new DateTimeOffset(2026, 3, 14, 10, 0, 0, TimeSpan.Zero));

        var work = await WorkAsync(admin, report.Reference);

        var triage = work.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == "triage");
        triage.GetProperty("dueOn").GetString().ShouldBe("2026-03-16");
        triage.GetProperty("state").GetString().ShouldBe("overdue");
        work.GetProperty("timeline").EnumerateArray().ShouldContain(t => t.GetProperty("kind").GetString() == "deadline-missed"
            && t.GetProperty("what").GetString() == "Triage was due by 16 March 2026 and is not done");
        (await admin.GetStringAsync($"/cases/{report.Reference}")).ShouldContain("<tr class=\"overdue\">");
    }

    [Fact]
    public async Task NotesAreSealedNeverEditedAndCorrectedBesideThemselves()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = await OpenAsync(admin, "Pushed on the stairs of the Arts building.");

        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/notes", new { text = "Spoke to the hall warden on Tuesday." })).StatusCode
            .ShouldBe(HttpStatusCode.NoContent);
        var note = (await WorkAsync(admin, report.Reference)).GetProperty("timeline").EnumerateArray().Single(t => t.GetProperty("kind").GetString() == "note");
        var noteId = note.GetProperty("id").GetGuid();
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/notes/{noteId}/corrections", new { text = "It was Wednesday, not Tuesday." }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/notes/{Guid.NewGuid()}/corrections", new { text = "No such note." }))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/notes", new { text = "  " })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var timeline = (await WorkAsync(admin, report.Reference)).GetProperty("timeline").EnumerateArray().ToList();
        timeline.Single(t => t.GetProperty("kind").GetString() == "note").GetProperty("text").GetString().ShouldBe("Spoke to the hall warden on Tuesday.");
        var correction = timeline.Single(t => t.GetProperty("kind").GetString() == "correction");
        correction.GetProperty("corrects").GetGuid().ShouldBe(noteId);
        correction.GetProperty("text").GetString().ShouldBe("It was Wednesday, not Tuesday.");
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        (await db.Timeline.Where(t => t.Kind == "note" || t.Kind == "correction").Select(t => t.SealedText).ToListAsync())
            .ShouldAllBe(text => text!.StartsWith("v2.") && !text.Contains("warden"));
    }

    [Fact]
    public async Task AStatusChangeNeedsAReasonAndClosingNeedsAnOutcome()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = await OpenAsync(admin, "Anonymous notes left on my desk.");

        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/status", new { status = "awaiting-reporter" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/status", new { status = "closed", reason = "Done." })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/status", new { status = "awaiting-reporter", reason = "Asked whether they want security told." }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/closure", new { outcome = "made-up" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        // The page keeps what was typed beside the field that needs it.
        var form = HtmlForm.Read(await admin.GetStringAsync($"/cases/{report.Reference}"), "form:has(#learningSummary)");
        form["learningSummary"] = "Reporting early let security act the same week.";
        var page = await admin.PostAsync($"/cases/{report.Reference}?handler=Close", form.ToContent());
        page.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("id=\"outcome-error\"");
        html.ShouldContain("Reporting early let security act the same week.");

        var closedEvent = cases.Listen<CaseClosed>(c => c.ReportId == report.ReportId);
        await closedEvent.Ready;
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/closure",
            new { outcome = "support-provided", learningSummary = "Reporting early let security act the same week." })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var view = await admin.GetFromJsonAsync<JsonElement>($"/api/cases/{report.Reference}");
        view.GetProperty("summary").GetProperty("status").GetString().ShouldBe(CaseStatuses.Closed);
        view.GetProperty("work").GetProperty("outcome").GetString().ShouldBe("Support provided; no further action requested");
        var closed = await closedEvent.Message.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        closed.Outcome.ShouldBe("support-provided");
        closed.LearningSummary.ShouldBeNull("the summary crosses the broker sealed only");
        TestLearning.Sealer.Open<string>(closed.SealedLearningSummary!).ShouldBe("Reporting early let security act the same week.");
        closed.Categories.ShouldBe(["sexual-harassment"]);
        closed.StepsMet.Select(s => s.Step).ShouldBe(["triage", "first-contact"], ignoreOrder: true);
        (await OutboxAsync<CaseStatusChanged>()).ShouldContain(c => c.ReportId == report.ReportId && c.Status == CaseStatuses.Closed);
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/notes", new { text = "After closing." })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/status", new { status = "with-case-manager", reason = "More to do." })).StatusCode
            .ShouldBe(HttpStatusCode.BadRequest, "a closed case is reopened, with a reason");

        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/reopening", new { reason = "" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/reopening", new { reason = "The notes started again." })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        view = await admin.GetFromJsonAsync<JsonElement>($"/api/cases/{report.Reference}");
        view.GetProperty("summary").GetProperty("status").GetString().ShouldBe(CaseStatuses.WithCaseManager);
        view.GetProperty("work").GetProperty("outcome").ValueKind.ShouldBe(JsonValueKind.Null);
        view.GetProperty("work").GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("what").GetString())
            .ShouldContain("Reopened");
        (await OutboxAsync<CaseReopened>()).ShouldContain(r => r.ReportId == report.ReportId);
    }

    [Fact]
    public async Task WhenTheReporterWritesTheAssigneeIsToldOnceThatAMessageWaits()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = await OpenAsync(admin, "Photos shared without asking.");
        var (_, assigneeId) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, Team);
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/assignment", new { assigneeId })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var sealer = cases.Services.GetRequiredService<Sealer>();
        var posted = new ReporterWrote(Guid.NewGuid(), report.ReportId, report.Reference, sealer.Seal("They posted another one."), DateTimeOffset.UtcNow);

        await cases.PublishAsync(posted);
        await cases.PublishAsync(posted);

        var waiting = await Eventually.GetAsync(() => OutboxAsync<ReporterMessageWaiting>(), w => w.Any(x => x.MessageId == posted.MessageId), "the assignee to be told");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var told = (await OutboxAsync<ReporterMessageWaiting>()).Where(x => x.MessageId == posted.MessageId).ShouldHaveSingleItem();
        told.Assignee.Name.ShouldBe("Test CaseManager");
        told.Reference.ShouldBe(report.Reference);
    }

    [Fact]
    public async Task ThePlaybookIsAChecklistTickedSkippedWithAReasonOrMadeATaskThatLandsInMyWork()
    {
        var admin = await cases.SignedInAdminAsync();
        var (manager, managerId) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, Team);
        var report = await OpenAsync(admin, "Comments about my body in the lab.");
        var checklist = (await WorkAsync(admin, report.Reference)).GetProperty("checklist").EnumerateArray().ToList();
        checklist.Select(a => a.GetProperty("key").GetString()).ShouldBe(["sexual-harassment:0", "sexual-harassment:1"]);
        checklist[0].GetProperty("text").GetString().ShouldStartWith("Offer a meeting with the specialist case manager");

        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/checklist/sexual-harassment:0", new { decision = "done" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/checklist/sexual-harassment:0", new { decision = "skipped", reason = "Changed my mind." }))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest, "one decision per action");
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/checklist/sexual-harassment:1", new { decision = "skipped" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/checklist/race:0", new { decision = "done" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var tomorrow = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(2)).ToString("yyyy-MM-dd");
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/checklist/sexual-harassment:1", new { decision = "task", dueOn = tomorrow, ownerId = managerId }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/tasks", new { title = "Call the lab manager", dueOn = "2020-01-01", ownerId = managerId }))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest, "not in the past");

        var work = await WorkAsync(admin, report.Reference);
        var decided = work.GetProperty("checklist").EnumerateArray().ToList();
        decided[0].GetProperty("decision").GetString().ShouldBe("done");
        decided[0].GetProperty("by").GetString()!.ShouldStartWith("Administrator");
        decided[1].GetProperty("decision").GetString().ShouldBe("task");
        var task = work.GetProperty("tasks").EnumerateArray().Single();
        task.GetProperty("title").GetString().ShouldBe("Liaise with the building manager and the head of faculty as appropriate.");
        task.GetProperty("owner").GetString().ShouldBe("Test CaseManager");
        work.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("what").GetString())
            .ShouldContain(w => w!.StartsWith("Done: Offer a meeting") );
        var mine = await manager.GetFromJsonAsync<JsonElement>("/api/cases/my-work");
        mine.GetProperty("tasks").EnumerateArray().Single().GetProperty("reference").GetString().ShouldBe(report.Reference);

        (await manager.PostAsync($"/api/cases/{report.Reference}/tasks/{task.GetProperty("id").GetGuid()}/done", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await manager.GetFromJsonAsync<JsonElement>("/api/cases/my-work")).GetProperty("tasks").GetArrayLength().ShouldBe(0);
        (await WorkAsync(admin, report.Reference)).GetProperty("tasks").EnumerateArray().Single().GetProperty("doneBy").GetString()!.ShouldStartWith("Test CaseManager");
    }

    [Fact]
    public async Task TagsFindACaseAndTravelWithItsClosure()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = await OpenAsync(admin, "Unwanted messages on the course chat.");

        (await admin.PutAsJsonAsync($"/api/cases/{report.Reference}/tags", new { tags = new[] { "Online", "group chat", "online" } })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.PutAsJsonAsync($"/api/cases/{report.Reference}/tags", new { tags = new[] { "=cmd|' /C calc'!A0" } })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await admin.PutAsJsonAsync($"/api/cases/{report.Reference}/tags", new { tags = new[] { "online", null, "group chat" } })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await WorkAsync(admin, report.Reference)).GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["online", "group chat"]);
        (await admin.GetFromJsonAsync<JsonElement>("/api/cases?search=group%20chat")).EnumerateArray().Select(r => r.GetProperty("reference").GetString())
            .ShouldBe([report.Reference]);
        var closed = cases.Listen<CaseClosed>(c => c.ReportId == report.ReportId);
        await closed.Ready;
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/closure", new { outcome = "support-provided" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await closed.Message.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken)).Tags.ShouldBe(["online", "group chat"]);
    }

    [Fact]
    public async Task TwoCaseManagersClosingAtOnceCloseItOnce()
    {
        var admin = await cases.SignedInAdminAsync();
        var other = await cases.SignedInAdminAsync();
        var report = await OpenAsync(admin, "Leaflets against my faith on my door.");

        var answers = await Task.WhenAll(
            admin.PostAsJsonAsync($"/api/cases/{report.Reference}/closure", new { outcome = "support-provided" }),
            other.PostAsJsonAsync($"/api/cases/{report.Reference}/closure", new { outcome = "resolved-informally" }));

        answers.Count(a => a.StatusCode == HttpStatusCode.NoContent).ShouldBe(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.BadRequest).ShouldBe(1);
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var caseId = await db.Cases.Where(c => c.Reference == report.Reference).Select(c => c.Id).SingleAsync();
        (await db.Timeline.CountAsync(t => t.CaseId == caseId && t.Kind == "closed")).ShouldBe(1, "one closure, with its one CaseClosed in the same transaction");
    }

    [Fact]
    public async Task ACaseIsRoutedToEveryTeamItsCategoriesNeedTheMostSpecialistFirst()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = cases.Report("Racist and sexual comments in the studio.") with { Categories = ["race", "sexual-harassment"] };
        await cases.PublishAsync(report);
        await Eventually.GetAsync(() => admin.GetAsync($"/api/cases/{report.Reference}"), r => r.IsSuccessStatusCode, "the case to open");

        (await WorkAsync(admin, report.Reference)).GetProperty("teams").EnumerateArray().Select(t => t.GetString())
            .ShouldBe(["Sexual violence and abuse", "Equality and inclusion"]);
    }
}
