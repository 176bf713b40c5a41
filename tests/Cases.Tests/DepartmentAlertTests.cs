using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbour.Cases.Casework;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Cases.Tests;

// Informing a department from a case: the draft from the profile's template, the email exactly as it will go, one alert however
// often it is sent, the reporter's identity only with their consent, and what became of it on the timeline: delivered,
// acknowledged, NOT told, or reminded when the department is silent past its working days.
public sealed class DepartmentAlertTests(DeadlineWatchFactory cases) : IClassFixture<DeadlineWatchFactory>
{
    // The team race cases go to (the default profile's specialism for race).
    const string Team = "Equality and inclusion";

    static async Task<JsonElement> WorkAsync(HttpClient staff, string reference) =>
        (await staff.GetFromJsonAsync<JsonElement>($"/api/cases/{reference}")).GetProperty("work");

    static List<string> Timeline(JsonElement work) =>
        work.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("what").GetString()!).ToList();

    static JsonElement OnlyAlert(JsonElement work) => work.GetProperty("alerts").EnumerateArray().ShouldHaveSingleItem();

    async Task<int> WatchAsync(TimeProvider clock)
    {
        await using var scope = cases.Services.CreateAsyncScope();
        return await DeadlineWatch.RaiseAsync(scope.ServiceProvider.GetRequiredService<CasesDbContext>(), scope.ServiceProvider.GetRequiredService<Sealer>(),
            scope.ServiceProvider.GetRequiredKeyedService<Sealer>(Sealer.Mail), clock, CancellationToken.None);
    }

    // How many times the deadline watch reminded a department of an alert, as its case's timeline records (the reminders
    // themselves are secret outbox rows, emptied once sent).
    async Task<int> RemindersAsync(Guid alertId)
    {
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        return await db.Timeline.CountAsync(t => t.Kind == TimelineKinds.AlertReminded && t.Subject == alertId.ToString());
    }

    [Fact]
    public async Task SecurityIsToldAboutAnAnonymousReportOnceWithNothingOfTheReportersWordsAndTheAnswersReachTheTimeline()
    {
        var (staff, _) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, Team);
        var report = await cases.OpenCaseAsync(staff, cases.Report("SECRET-NARRATIVE: he shouted at me by the library doors.") with { Categories = ["race"] });
        var (ready, requested) = cases.Listen<DepartmentAlertRequested>(a => a.Reference == report.Reference);
        var (informedReady, informed) = cases.Listen<DepartmentInformed>(a => a.ReportId == report.ReportId);
        await Task.WhenAll(ready, informedReady);

        var draft = await staff.GetFromJsonAsync<JsonElement>($"/api/cases/{report.Reference}/alerts/draft?department=campus-security");
        var text = draft.GetProperty("text").GetString()!;
        text.ShouldBe($"A report ({report.Reference}) concerns City campus: Library. Please increase patrols and tell the case manager of anything relevant you see.");
        var inform = new { alertId = Guid.CreateVersion7(), departmentId = "campus-security", text, urgent = true };
        var preview = await (await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/alerts/preview", inform)).Content.ReadFromJsonAsync<JsonElement>();
        preview.GetProperty("to").GetString().ShouldBe("security@northgate.example");
        preview.GetProperty("subject").GetString().ShouldBe($"URGENT: University of Northgate (example): information for Campus Security about case {report.Reference}");
        var body = preview.GetProperty("body").GetString()!;
        body.ShouldContain(text);
        body.ShouldContain(DepartmentAlertRequested.LinkPlaceholder);
        body.ShouldNotContain("SECRET-NARRATIVE");

        (await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/alerts", inform)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/alerts", inform)).StatusCode.ShouldBe(HttpStatusCode.NoContent, "sent twice, kept once");

        var sent = await requested.WaitAsync(TimeSpan.FromSeconds(30));
        (sent.AlertId, sent.To, TestMail.Sealer.Open<string>(sent.SealedBody), sent.Urgent, sent.Institution).ShouldBe((inform.alertId, "security@northgate.example", body, true, "University of Northgate (example)"));
        var work = await WorkAsync(staff, report.Reference);
        OnlyAlert(work).GetProperty("state").GetString().ShouldBe("sent");
        Timeline(work).ShouldContain("Informed Campus Security (urgent) by email to security@northgate.example");

        await cases.PublishAsync(new NotificationDelivered(sent.AlertId, NotificationPurposes.DepartmentAlert, DateTimeOffset.UtcNow));
        await Eventually.GetAsync(() => WorkAsync(staff, report.Reference),
            w => OnlyAlert(w).GetProperty("state").GetString() == "delivered" && Timeline(w).Any(t => t.Contains("reached their mail server")), "delivered");
        var counted = await informed.WaitAsync(TimeSpan.FromSeconds(30));
        (counted.AlertId, counted.DepartmentId).ShouldBe((inform.alertId, "campus-security"),
            "once delivered, analytics is told the department, and nothing of the text");
        var acknowledged = new DepartmentAlertAcknowledged(sent.AlertId, DateTimeOffset.UtcNow);
        await cases.PublishAsync(acknowledged);
        await cases.PublishAsync(acknowledged);
        work = await Eventually.GetAsync(() => WorkAsync(staff, report.Reference), w => OnlyAlert(w).GetProperty("state").GetString() == "acknowledged", "acknowledged");
        await Task.Delay(TimeSpan.FromSeconds(1));
        work = await WorkAsync(staff, report.Reference);
        Timeline(work).Count(t => t == "Campus Security acknowledged the alert (through the link in the email)").ShouldBe(1);
        Timeline(work).ShouldContain("The alert to Campus Security reached their mail server");
        await WatchAsync(new LaterClock(TimeSpan.FromDays(30)));
        (await RemindersAsync(sent.AlertId)).ShouldBe(0, "an acknowledged alert needs no reminder");
    }

    [Fact]
    public async Task TheReportersIdentityGoesOnlyWithTheirConsentAndTheConsentIsOnTheCase()
    {
        var (staff, _) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, Team);
        var named = await cases.OpenCaseAsync(staff, cases.NamedReport("Slurs in the lab.", "Amira Haddad", "amira@student.test",
            safeToLeaveMessage: false) with { Categories = ["race"] });
        var anonymous = await cases.OpenCaseAsync(staff, cases.Report("Slurs in the lab.") with { Categories = ["race"] });

        var refused = await staff.PostAsJsonAsync($"/api/cases/{anonymous.Reference}/alerts",
            new { departmentId = "faculty-science", text = "Please speak to the lab supervisor.", identityShared = true });
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("identityShared")[0].GetString()
            .ShouldBe("This report holds no name or contact details to share.");
        var withoutConsent = await (await staff.PostAsJsonAsync($"/api/cases/{named.Reference}/alerts/preview",
            new { departmentId = "faculty-science", text = "Please speak to the lab supervisor." })).Content.ReadFromJsonAsync<JsonElement>();
        withoutConsent.GetProperty("body").GetString()!.ShouldNotContain("Amira");

        (await staff.PostAsJsonAsync($"/api/cases/{named.Reference}/alerts",
            new { departmentId = "faculty-science", text = "Please speak to the lab supervisor.", identityShared = true })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var work = await WorkAsync(staff, named.Reference);
        var alert = OnlyAlert(work);
        alert.GetProperty("identityShared").GetBoolean().ShouldBeTrue();
        alert.GetProperty("body").GetString()!.ShouldContain("Amira Haddad\namira@student.test\nThey prefer to be contacted by email.\nDo NOT leave a message: it is not safe for them.");
        Timeline(work).ShouldContain("The reporter agreed that Faculty of Science and Engineering is told who they are");
        foreach (var (field, request) in new (string, object)[]
        {
            ("departmentId", new { departmentId = "the-dean", text = "x" }),
            ("text", new { departmentId = "estates", text = " " }),
            ("text", new { departmentId = "estates", text = new string('x', 5001) }),
            ("text", new { departmentId = "estates", text = "Please call\u0000 me" }),
            ("text", new { departmentId = "estates", text = "Reads \u202Eesrever" }),
            ("checked", new { departmentId = "estates", text = "Please look.", @checked = "an-older-preview" }),
        })
        {
            var answer = await staff.PostAsJsonAsync($"/api/cases/{named.Reference}/alerts", request);
            answer.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(field);
        }
    }

    [Fact]
    public async Task AnAlertIdSentAgainWithSomethingElseIsRefusedRatherThanLost()
    {
        var (staff, _) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, Team);
        var report = await cases.OpenCaseAsync(staff, cases.Report("Stones thrown at the window.") with { Categories = ["race"] });
        var alertId = Guid.CreateVersion7();
        (await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/alerts", new { alertId, departmentId = "campus-security", text = "Please patrol." }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var changed = await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/alerts", new { alertId, departmentId = "estates", text = "Please mend the window." });

        changed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("alertId")[0].GetString()
            .ShouldBe("That alert was sent already. To send another, start again from the case.");
        OnlyAlert(await WorkAsync(staff, report.Reference)).GetProperty("department").GetString().ShouldBe("Campus Security");
    }

    [Fact]
    public async Task ADepartmentNotToldIsSaidPlainlyAndTheCaseManagerGetsATask()
    {
        var (staff, staffId) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, Team);
        var report = await cases.OpenCaseAsync(staff, cases.Report("Graffiti on my door.") with { Categories = ["race"] });
        var (ready, requested) = cases.Listen<DepartmentAlertRequested>(a => a.Reference == report.Reference);
        await ready;
        (await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/alerts", new { departmentId = "residences", text = "Please remove the graffiti." }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var sent = await requested.WaitAsync(TimeSpan.FromSeconds(30));

        await cases.PublishAsync(new NotificationFailed(sent.AlertId, NotificationPurposes.DepartmentAlert, "the email could not be sent, after several tries",
            DateTimeOffset.UtcNow));

        // The case's alerts and its timeline are read one after the other: wait for both.
        var work = await Eventually.GetAsync(() => WorkAsync(staff, report.Reference),
            w => OnlyAlert(w).GetProperty("state").GetString() == "failed" && Timeline(w).Any(t => t.Contains("NOT told")), "failed");
        Timeline(work).ShouldContain("Residential Life was NOT told: the email could not be sent, after several tries. Tell them another way, or send the alert again");
        var task = work.GetProperty("tasks").EnumerateArray().ShouldHaveSingleItem();
        task.GetProperty("title").GetString().ShouldBe("Tell Residential Life another way: the alert email could not be sent");
        task.GetProperty("ownerId").GetString().ShouldBe(staffId, "nobody has the case: the one who sent the alert follows it up");
        var page = await (await staff.GetAsync($"/cases/{report.Reference}")).Content.ReadAsStringAsync();
        page.ShouldContain("NOT told");
        await using var scope = cases.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<CasesDbContext>().Outbox.AsNoTracking()
            .Where(m => m.Type == typeof(DepartmentInformed).FullName).Select(m => m.Payload).ToListAsync())
            .Select(p => JsonSerializer.Deserialize<DepartmentInformed>(p, JsonSerializerOptions.Web)!)
            .ShouldNotContain(i => i.AlertId == sent.AlertId, "an alert that could not be sent informed nobody: analytics does not count it");
    }

    [Fact]
    public async Task ASilentDepartmentIsRemindedOnceAfterItsWorkingDaysAndTheAssigneeFollowsItUp()
    {
        var (staff, staffId) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, Team);
        var report = await cases.OpenCaseAsync(staff, cases.Report("Followed to the bus stop.") with { Categories = ["race"] });
        (await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/assignment", new { assigneeId = staffId })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var alertId = Guid.Empty;
        var (ready, reminded) = cases.Listen<DepartmentAlertUnacknowledged>(a => a.AlertId == alertId);
        await ready;
        (await staff.PostAsJsonAsync($"/api/cases/{report.Reference}/alerts", new { departmentId = "campus-security", text = "Please patrol the bus stop." }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        alertId = OnlyAlert(await WorkAsync(staff, report.Reference)).GetProperty("id").GetGuid();
        await WatchAsync(new LaterClock(TimeSpan.FromDays(10)));
        (await RemindersAsync(alertId)).ShouldBe(0, "an alert never delivered is not reminded: it is still sending, or failed");
        await cases.PublishAsync(new NotificationDelivered(alertId, NotificationPurposes.DepartmentAlert, DateTimeOffset.UtcNow));
        await Eventually.GetAsync(() => WorkAsync(staff, report.Reference), w => OnlyAlert(w).GetProperty("state").GetString() == "delivered", "delivered");

        await WatchAsync(TimeProvider.System);
        (await WorkAsync(staff, report.Reference)).GetProperty("tasks").GetArrayLength().ShouldBe(0, "the department still has time");
        await WatchAsync(new LaterClock(TimeSpan.FromDays(10)));
        await WatchAsync(new LaterClock(TimeSpan.FromDays(11)));

        (await reminded.WaitAsync(TimeSpan.FromSeconds(30))).AlertId.ShouldBe(alertId);
        (await RemindersAsync(alertId)).ShouldBe(1, "reminded once, however often the watch runs");
        var work = await WorkAsync(staff, report.Reference);
        Timeline(work).Count(t => t.StartsWith("Campus Security had not acknowledged the alert by")).ShouldBe(1);
        var task = work.GetProperty("tasks").EnumerateArray().ShouldHaveSingleItem();
        task.GetProperty("title").GetString()!.ShouldStartWith("Ask Campus Security whether they acted");
        task.GetProperty("ownerId").GetString().ShouldBe(staffId);
    }

    [Fact]
    public async Task TheFormStartsFromTheTemplateShowsTheEmailAndSendsItOnceKeepingWhatWasTypedOnAMistake()
    {
        var (staff, _) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, Team);
        var report = await cases.OpenCaseAsync(staff, cases.Report("Spat at near the library.") with { Categories = ["race"] });
        var url = $"/cases/{report.Reference}/departments";
        var page = await staff.GetStringAsync($"{url}?department=campus-security");
        page.ShouldContain($"A report ({report.Reference}) concerns City campus: Library.");

        var form = HtmlForm.Read(page, "form:has(textarea[name=text])");
        form["departmentId"].ShouldBe("campus-security", "the department chosen first is where it goes");
        form["text"] = new string('y', 5001);
        var mistake = await staff.PostAsync($"{url}?handler=Preview", form.ToContent());
        mistake.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var again = await mistake.Content.ReadAsStringAsync();
        again.ShouldContain("id=\"text-error\"");
        again.ShouldContain("Keep the alert under 5,000 characters.");
        again.ShouldContain(new string('y', 5001));

        form = HtmlForm.Read(again, "form:has(textarea[name=text])");
        form["text"] = "Please patrol by the library doors.";
        var previewed = await (await staff.PostAsync($"{url}?handler=Preview", form.ToContent())).Content.ReadAsStringAsync();
        previewed.ShouldContain("Check the email");
        previewed.ShouldContain("[the department&#x27;s personal acknowledge link]");
        var send = HtmlForm.Read(previewed, "form:has(input[name=alertId])");
        (await staff.PostAsync($"{url}?handler=Send", send.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await staff.PostAsync($"{url}?handler=Send", send.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect, "the same form sent twice");

        var alert = OnlyAlert(await WorkAsync(staff, report.Reference));
        alert.GetProperty("department").GetString().ShouldBe("Campus Security");
        alert.GetProperty("body").GetString()!.ShouldContain("Please patrol by the library doors.");
    }
}
