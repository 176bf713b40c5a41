using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Cases.Tests;

// Meetings with the reporter: arranged, moved and cancelled (everyone invited hears: MeetingScheduled, MeetingCancelled, with the
// reporter's address only when they chose email and said it is safe), on My work, and recorded afterwards with what was agreed.
public sealed class MeetingTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    const string Team = "Equality and inclusion";

    static async Task<JsonElement> WorkAsync(HttpClient staff, string reference) =>
        (await staff.GetFromJsonAsync<JsonElement>($"/api/cases/{reference}")).GetProperty("work");

    static List<string> Timeline(JsonElement work) => work.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("what").GetString()!).ToList();

    static object At(DateTime ukDay, string time, string format = "in-person", string? where = "Student Centre, room 2", Guid? id = null, int? sequence = null) =>
        new { meetingId = id ?? Guid.CreateVersion7(), date = ukDay.ToString("yyyy-MM-dd"), time, minutes = 45, format, where, sequence };

    [Fact]
    public async Task AMeetingIsArrangedMovedAndCancelledAndEveryoneInvitedHearsEachTime()
    {
        var (staff, staffId) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, Team);
        var report = await cases.OpenCaseAsync(staff, cases.NamedReport("Abuse at the bus stop.", "Kofi Mensah", "kofi@student.test", safeToLeaveMessage: true)
            with { Categories = ["race"], Kind = ReportKinds.Meeting });
        var id = Guid.CreateVersion7();
        var day = DateTime.UtcNow.Date.AddDays(3);
        var (ready, scheduled) = cases.Listen<MeetingScheduled>(m => m.MeetingId == id && m.Sequence == 0);
        var (movedReady, moved) = cases.Listen<MeetingScheduled>(m => m.MeetingId == id && m.Sequence == 1);
        var (cancelReady, cancelled) = cases.Listen<MeetingCancelled>(m => m.MeetingId == id);
        await Task.WhenAll(ready, movedReady, cancelReady);

        (await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/meetings", At(day, "14:30", id: id))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/meetings", At(day, "14:30", id: id))).StatusCode.ShouldBe(HttpStatusCode.NoContent, "sent twice, arranged once");

        var first = await scheduled.WaitAsync(TimeSpan.FromSeconds(30));
        var local = DateOnly.FromDateTime(day).ToDateTime(new TimeOnly(14, 30));
        first.Meeting.StartsAt.ShouldBe(new DateTimeOffset(local, Harbour.Profile.UkTime.Zone.GetUtcOffset(local)));
        (first.Meeting.Minutes, first.Meeting.Format, first.Meeting.Where).ShouldBe((45, "in-person", "Student Centre, room 2"));
        first.Meeting.CaseManager.Name.ShouldBe("Test CaseManager");
        TestMail.Sealer.Open<Recipient>(first.Meeting.SealedReporter!).ShouldBe(new Recipient("kofi@student.test", "Kofi Mensah"), "they chose email and said it is safe");
        var work = await WorkAsync(staff, report.Reference);
        work.GetProperty("meetings").EnumerateArray().ShouldHaveSingleItem().GetProperty("withId").GetString().ShouldBe(staffId);
        Timeline(work).ShouldContain(t => t.StartsWith("Meeting arranged for ") && t.EndsWith("at 14:30"));
        (await staff.GetFromJsonAsync<JsonElement>("/api/cases/my-work")).GetProperty("meetings").EnumerateArray()
            .ShouldContain(m => m.GetProperty("reference").GetString() == report.Reference);

        (await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/meetings", At(day.AddDays(1), "10:00", "online", "https://meet.example/abc", id, sequence: 0)))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await moved.WaitAsync(TimeSpan.FromSeconds(30))).Meeting.Where.ShouldBe("https://meet.example/abc");
        (await staff.PostAsync($"/api/cases/{report.Reference}/meetings/{id}/cancellation", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await cancelled.WaitAsync(TimeSpan.FromSeconds(30))).Sequence.ShouldBe(2);

        work = await WorkAsync(staff, report.Reference);
        work.GetProperty("meetings")[0].GetProperty("status").GetString().ShouldBe("cancelled");
        Timeline(work).ShouldContain(t => t.StartsWith("Meeting moved to ") && t.EndsWith("at 10:00"));
        Timeline(work).ShouldContain(t => t.StartsWith("Meeting of ") && t.EndsWith("at 10:00 cancelled"));
        (await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/meetings", At(day, "15:00", id: id, sequence: 2))).StatusCode
            .ShouldBe(HttpStatusCode.BadRequest, "a cancelled meeting is not moved: a new one is arranged");
        var second = Guid.CreateVersion7();
        var (secondReady, secondScheduled) = cases.Listen<MeetingScheduled>(m => m.MeetingId == second);
        await secondReady;
        (await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/meetings", new
        {
            meetingId = second, date = day.ToString("yyyy-MM-dd"), time = "16:00", minutes = 30, format = "phone", emailReporter = false,
        })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await secondScheduled.WaitAsync(TimeSpan.FromSeconds(30))).Meeting.SealedReporter.ShouldBeNull("the case manager chose not to email the reporter");
        (await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/meetings", At(day, "17:00", "phone", null, second))).StatusCode
            .ShouldBe(HttpStatusCode.BadRequest, "the arranging form sent again with other details (the browser's Back) does not move the meeting");
    }

    [Fact]
    public async Task AnAnonymousReporterIsNeverEmailedAndABadMeetingIsRefusedBesideItsField()
    {
        var (staff, _) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, Team);
        var report = await cases.OpenCaseAsync(staff, cases.Report("Shouted at in the library.") with { Categories = ["race"] });
        var (ready, scheduled) = cases.Listen<MeetingScheduled>(m => m.Reference == report.Reference);
        await ready;
        var day = DateTime.UtcNow.Date.AddDays(2);

        foreach (var (field, request) in new (string, object)[]
        {
            ("date", At(DateTime.UtcNow.Date.AddDays(-1), "10:00")),
            ("time", At(day, "25:61")),
            ("minutes", new { date = day.ToString("yyyy-MM-dd"), time = "10:00", minutes = 5, format = "phone" }),
            ("format", At(day, "10:00", "carrier pigeon")),
            ("where", At(day, "10:00", "in-person", null)),
            ("where", At(day, "10:00", "online", "http://insecure.example/x")),
            ("where", At(day, "10:00", "online", "javascript:alert(1)")),
        })
        {
            var answer = await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/meetings", request);
            answer.StatusCode.ShouldBe(HttpStatusCode.BadRequest, field);
            (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(field);
        }
        (await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/meetings", At(day, "11:00", "phone", null))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await scheduled.WaitAsync(TimeSpan.FromSeconds(30))).Meeting.SealedReporter.ShouldBeNull();

        // The page keeps what was typed beside the field that was wrong.
        var form = HtmlForm.Read(await staff.GetStringAsync($"/cases/{report.Reference}"), "form:has(#meeting-date)");
        form["date"] = day.ToString("yyyy-MM-dd");
        form["time"] = "10:00";
        form["format"] = "online";
        form["where"] = "meet.example/no-scheme";
        var page = await staff.PostAsync($"/cases/{report.Reference}?handler=Meeting", form.ToContent());
        page.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("id=\"meeting-where-error\"");
        html.ShouldContain("value=\"meet.example/no-scheme\"");
    }

    [Fact]
    public async Task AMeetingHeldIsFirstContactAndWhatWasAgreedBecomesTasks()
    {
        var (staff, staffId) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, Team);
        var report = await cases.OpenCaseAsync(staff, cases.Report("Followed across campus.") with { Categories = ["race"], SubmittedAt = DateTimeOffset.UtcNow });
        var id = Guid.CreateVersion7();
        (await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/meetings", At(DateTime.UtcNow.Date.AddDays(1), "09:30", id: id))).StatusCode
            .ShouldBe(HttpStatusCode.NoContent);
        var (recordedReady, recorded) = cases.Listen<MeetingRecorded>(m => m.MeetingId == id);
        await recordedReady;
        var early = await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/meetings/{id}/record", new { attended = true });
        early.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "a meeting still to come is not recorded");

        await using (var scope = cases.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<CasesDbContext>().Meetings.Where(m => m.Id == id)
                .ExecuteUpdateAsync(set => set.SetProperty(m => m.StartsAt, DateTimeOffset.UtcNow.AddHours(-1)));
        (await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/meetings/{id}/record",
            new { attended = true, note = "Wants the patrols and a faculty contact.", agreed = "Ask security to patrol the path\n\nIntroduce the faculty contact\n" }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var work = await WorkAsync(staff, report.Reference);
        var meeting = work.GetProperty("meetings").EnumerateArray().ShouldHaveSingleItem();
        (meeting.GetProperty("status").GetString(), meeting.GetProperty("note").GetString()).ShouldBe(("held", "Wants the patrols and a faculty contact."));
        work.GetProperty("tasks").EnumerateArray().Select(t => (t.GetProperty("title").GetString(), t.GetProperty("ownerId").GetString()))
            .ShouldBe([("Ask security to patrol the path", staffId), ("Introduce the faculty contact", staffId)]);
        var contact = work.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == "first-contact");
        (contact.GetProperty("state").GetString(), contact.GetProperty("how").GetString()).ShouldBe(("met", "meeting"));
        Timeline(work).ShouldContain(t => t.StartsWith("Meeting of ") && t.EndsWith(" held"));
        var counted = await recorded.WaitAsync(TimeSpan.FromSeconds(30));
        (counted.ReportId, counted.Held, counted.Format).ShouldBe((report.ReportId, true, "in-person"), "analytics counts it held");
        // The note and the tasks made from what was agreed are kept sealed: no row of the database holds their words.
        var dump = await DatabaseDump.EveryRowAsync(cases.AdminDatabase);
        dump.ShouldContain(report.Reference, Case.Sensitive, "the dump reads the case's rows");
        foreach (var words in new[] { "Wants the patrols", "Ask security to patrol", "Introduce the faculty contact" })
            dump.ShouldNotContain(words, Case.Insensitive);
    }
}
