using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbour.Contracts;
using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

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

    // A record made by mistake: an Admin sees who is recorded as involved on the case page, records a colleague there, and
    // removes a record, saying why, after which the person sees the case again; nobody else may remove one, not even an Admin
    // who is involved; each step is audited, and the removal is on the timeline without the name.
    [Fact]
    public async Task AnInvolvementRecordedByMistakeIsRemovedByAnAdminAndTheCaseIsSeenAgain()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = await OpenAsync(admin, "A supervisor keeps asking me out after I said no.", "sexual-harassment");
        var (named, namedId) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, "Sexual violence and abuse");
        var (colleague, _) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, "Sexual violence and abuse");
        var (involvedAdmin, involvedAdminId) = await cases.SignedInStaffAsync(StaffRoles.Admin);
        var path = $"/cases/{report.Reference}";
        var removal = $"/api/cases/{report.Reference}/involvements/{{0}}/removal";
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var caseId = await db.Cases.Where(c => c.Reference == report.Reference).Select(c => c.Id).SingleAsync();
        Task<List<string>> InvolvedAsync() => db.Involvements.Where(i => i.CaseId == caseId).Select(i => i.UserId).OrderBy(i => i).ToListAsync();

        var page = await admin.GetStringAsync(path);
        page.ShouldContain("id=\"involved-none\"");
        var record = HtmlForm.Read(page, "form[action*='handler=ColleagueInvolved']");
        var unchosen = await admin.PostAsync($"{path}?handler=ColleagueInvolved", record.ToContent());
        unchosen.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await unchosen.Content.ReadAsStringAsync()).ShouldContain("id=\"involvedUserId-error\"");
        record["involvedUserId"] = namedId;
        (await admin.PostAsync($"{path}?handler=ColleagueInvolved", record.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await admin.PostAsync($"{path}?handler=ColleagueInvolved", record.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect, "sent twice, kept once");
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/involvements", new { userId = involvedAdminId })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await named.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await InvolvedAsync()).ShouldBe(new[] { namedId, involvedAdminId }.Order().ToList());

        page = await admin.GetStringAsync(path);
        page.ShouldContain("id=\"involved\"");
        page.ShouldContain($"recorded {DateTimeOffset.UtcNow.InUk():d MMM yyyy} by");
        var remove = HtmlForm.Read(page, $"form[action*='handler=RemoveInvolvement']:has(input[value='{namedId}'])");
        remove["involvedUserId"].ShouldBe(namedId);
        // Nobody but an Admin who may see the case removes a record, on the page or through the API: not a case manager who
        // sees it, nor an Admin recorded as involved, even their own record.
        var colleaguePage = await colleague.GetStringAsync(path);
        colleaguePage.ShouldNotContain("handler=RemoveInvolvement");
        var colleagueForm = HtmlForm.Read(colleaguePage, "form[action*='handler=Involved']");
        (colleagueForm["involvedUserId"], colleagueForm["reason"]) = (namedId, "I think it was a mistake.");
        (await colleague.PostAsync($"{path}?handler=RemoveInvolvement", colleagueForm.ToContent())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await colleague.PostAsJsonAsync(string.Format(removal, namedId), new { reason = "A mistake." })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await colleague.PostAsync($"{path}?handler=ColleagueInvolved", colleagueForm.ToContent())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await involvedAdmin.PostAsJsonAsync(string.Format(removal, involvedAdminId), new { reason = "Not really involved." })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await involvedAdmin.PostAsJsonAsync(string.Format(removal, namedId), new { reason = "A mistake." })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await InvolvedAsync()).ShouldBe(new[] { namedId, involvedAdminId }.Order().ToList(), "nothing removed");

        // Without a reason: said beside the field, and nothing removed.
        var noReason = await admin.PostAsync($"{path}?handler=RemoveInvolvement", remove.ToContent());
        noReason.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await noReason.Content.ReadAsStringAsync()).ShouldContain($"id=\"removalReason-{namedId}-error\"");
        remove["reason"] = "Recorded against the wrong colleague.";
        (await admin.PostAsync($"{path}?handler=RemoveInvolvement", remove.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await admin.PostAsync($"{path}?handler=RemoveInvolvement", remove.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect, "sent twice, kept once");
        (await named.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK, "they see the case again");
        (await InvolvedAsync()).ShouldBe([involvedAdminId], "only this record, of this case");
        var timeline = await admin.GetStringAsync(path);
        timeline.ShouldContain("made by mistake, was removed");
        timeline.ShouldContain("Recorded against the wrong colleague.");
        (await colleague.GetStringAsync(path)).ShouldNotContain("Test CaseManager, recorded", Case.Sensitive, "only Admins see who is recorded");
        (await admin.PostAsJsonAsync(string.Format(removal, involvedAdminId), new { reason = "" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await admin.PostAsJsonAsync(string.Format(removal, involvedAdminId), new { reason = "On the wrong case." })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await involvedAdmin.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var audited = await db.AuditLog.Where(a => a.CaseId == caseId && a.Action.StartsWith("case.involvement-")).OrderBy(a => a.Id)
            .Select(a => new { a.Action, a.Detail }).ToListAsync();
        audited.Select(a => a.Action).ShouldBe(["case.involvement-recorded", "case.involvement-recorded", "case.involvement-removed", "case.involvement-removed"]);
        audited[2].Detail!.ShouldContain(namedId, Case.Sensitive, "the audit entry names the person");
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

    // Every endpoint cases maps with a case in its route, read from its endpoint data source, and every handler of every case
    // page, read from the pages themselves (so a new one cannot be left out): a case manager of another team and somebody
    // involved in the case each get exactly what a reference that does not exist gets, a 404 that names nothing.
    [Fact]
    public async Task EveryEndpointOfACaseAnswersSomebodyWithoutNeedToKnowAsIfThereWereNoSuchCase()
    {
        var admin = await cases.SignedInAdminAsync();
        var faith = await OpenAsync(admin, "Prayer room door kicked in during Friday prayers.", "religion");
        var harassment = await OpenAsync(admin, "A tutor sends messages about my body.", "sexual-harassment");
        var (otherTeam, _) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, "Sexual violence and abuse");
        var (involved, involvedId) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, "Sexual violence and abuse");
        (await admin.PostAsJsonAsync($"/api/cases/{harassment.Reference}/involvements", new { userId = involvedId })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        const string missing = "HR-2026-999999";
        // Real items of each case (a file, a note, a task, a referral, a meeting), so that an endpoint naming one is shown to
        // check the case before the item: a made-up item would not be found either way.
        var items = new Dictionary<string, Dictionary<string, Guid>>
        {
            [faith.Reference] = await ItemsAsync(admin, faith), [harassment.Reference] = await ItemsAsync(admin, harassment),
        };
        async Task<int> TimelineAsync(string reference)
        {
            await using var scope = cases.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
            return await db.Timeline.CountAsync(t => db.Cases.Any(c => c.Id == t.CaseId && c.Reference == reference));
        }
        int[] before = [await TimelineAsync(faith.Reference), await TimelineAsync(harassment.Reference)];

        var endpoints = AuthorisationMatrix.EndpointsOf(cases.Services).Where(e => e.Contains("{reference}")).ToList();
        var calls = endpoints.Where(e => !e.StartsWith("POST /cases/")).Select(e => (Endpoint: e, Handler: (string?)null))
            .Concat(CasePageHandlers().SelectMany(page => page.Handlers.Select(handler => (Endpoint: "POST " + page.Route, Handler: (string?)handler))))
            .ToList();
        endpoints.Where(e => e.StartsWith("POST /cases/")).ShouldAllBe(e => calls.Any(c => c.Endpoint == e), "every case page's posts are called by handler");

        // The item an endpoint names, from the hidden case: by the word before {id} in its route; for a page's post, each in turn.
        IEnumerable<Guid> ItemsFor(string endpoint, string? handler, string reference) =>
            System.Text.RegularExpressions.Regex.Match(endpoint, "/(\\w+)/\\{id") is { Success: true } kind ? [items[reference][kind.Groups[1].Value]]
            : handler is not null ? items[reference].Values : [Guid.Empty];

        async Task<(HttpStatusCode Status, string Body)> CallAsync(HttpClient caller, string token, string endpoint, string? handler, string reference, Guid item)
        {
            var method = endpoint[..endpoint.IndexOf(' ')];
            var path = endpoint[(method.Length + 1)..].Replace("{reference}", reference).Replace("{id:guid}", item.ToString())
                .Replace("{step}", "triage").Replace("{action}", "race:0").Replace("{userId}", involvedId) + (string.IsNullOrEmpty(handler) ? "" : $"?handler={handler}");
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (path.StartsWith("/api/") && method is "POST" or "PUT")
                request.Content = JsonContent.Create(ApiBodies.GetValueOrDefault(endpoint, new { }));
            else if (method == "POST")
                request.Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = token, ["step"] = "triage", ["action"] = "race:0", ["item"] = $"message:{item}",
                    // Every form field a case page names an item by.
                    ["id"] = $"{item}", ["corrects"] = $"{item}", ["meetingId"] = $"{item}", ["referralId"] = $"{item}", ["adviceId"] = $"{item}", ["alertId"] = $"{item}",
                });
            using var response = await caller.SendAsync(request);
            var body = (await response.Content.ReadAsStringAsync()).Replace(reference, "REF");
            // The same answer but for what differs at every request: the form token and the trace id.
            body = System.Text.RegularExpressions.Regex.Replace(body, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]+\"", "TOKEN");
            return (response.StatusCode, System.Text.RegularExpressions.Regex.Replace(body, "\"traceId\":\"[^\"]+\"", "TRACE"));
        }

        var problems = new List<string>();
        foreach (var (caller, hidden, description) in new[] { (otherTeam, faith, "another team's case"), (involved, harassment, "a case they are involved in") })
        {
            var token = StaffSignIn.AntiforgeryTokenIn(await caller.GetStringAsync("/cases/disclosures"));
            foreach (var (endpoint, handler) in calls)
                foreach (var item in ItemsFor(endpoint, handler, hidden.Reference))
                {
                    var name = string.IsNullOrEmpty(handler) ? endpoint : $"{endpoint}?handler={handler}";
                    var (hiddenAnswer, unknownAnswer) = (await CallAsync(caller, token, endpoint, handler, hidden.Reference, item),
                        await CallAsync(caller, token, endpoint, handler, missing, item));
                    if (hiddenAnswer.Status != HttpStatusCode.NotFound) problems.Add($"{name} on {description}: {(int)hiddenAnswer.Status}, expected 404");
                    else if (hiddenAnswer != unknownAnswer) problems.Add($"{name} on {description}: answers otherwise than for a reference that does not exist");
                }
        }
        problems.ShouldBeEmpty();
        // A case the caller may see, with another case's item: answered as for an item that does not exist, and nothing done.
        var crossToken = StaffSignIn.AntiforgeryTokenIn(await admin.GetStringAsync("/cases/disclosures"));
        foreach (var (endpoint, _) in calls.Where(c => c.Endpoint.Contains("{id")))
        {
            var (foreign, none) = (await CallAsync(admin, crossToken, endpoint, null, faith.Reference, ItemsFor(endpoint, null, harassment.Reference).Single()),
                await CallAsync(admin, crossToken, endpoint, null, faith.Reference, Guid.Empty));
            if (foreign != none) problems.Add($"{endpoint} on a case with another case's item: {(int)foreign.Status}, not as for no such item ({(int)none.Status})");
        }
        problems.ShouldBeEmpty();
        (await TimelineAsync(faith.Reference)).ShouldBe(before[0], "nothing was done to either case");
        (await TimelineAsync(harassment.Reference)).ShouldBe(before[1]);

        // The control: the same calls by an Admin, who may see the case, reach it and the item it names (whatever they then
        // answer), so the 404s above are the case's check and not a call that never got that far. Not for a post without a
        // handler (not found for everybody). A page's post is given no item here (one of another kind could be not found).
        // Declaring oneself involved comes last: from then on the Admin may not see the case either.
        var adminToken = StaffSignIn.AntiforgeryTokenIn(await admin.GetStringAsync("/cases/disclosures"));
        var unreached = new List<string>();
        foreach (var (endpoint, handler) in calls.Where(c => c.Handler != "").OrderBy(c => c.Handler == "Involved"))
            if ((await CallAsync(admin, adminToken, endpoint, handler, faith.Reference, ItemsFor(endpoint, null, faith.Reference).Single())).Status == HttpStatusCode.NotFound)
                unreached.Add(handler is null ? endpoint : $"{endpoint}?handler={handler}");
        unreached.ShouldBeEmpty();
    }

    // Bodies that pass binding, so that each call reaches the case's own check rather than stopping at a malformed body.
    static readonly Dictionary<string, object> ApiBodies = new()
    {
        ["POST /api/cases/{reference}/messages"] = new { body = "Hello" },
        ["POST /api/cases/{reference}/status"] = new { status = "closed" },
        ["POST /api/cases/{reference}/involvements"] = new { userId = "someone" },
        ["POST /api/cases/{reference}/involvements/{userId}/removal"] = new { reason = "Recorded on the wrong case." },
        ["POST /api/cases/{reference}/notes"] = new { text = "A note." },
        ["POST /api/cases/{reference}/notes/{id:guid}/corrections"] = new { text = "A correction." },
        ["POST /api/cases/{reference}/closure"] = new { outcome = "support-provided" },
    };

    // (route, handler names) of each Razor page with a case in its route, from the compiled pages and their models'
    // OnPost methods, and "" for a post without a handler (OnPost itself, or none at all).
    static IEnumerable<(string Route, List<string> Handlers)> CasePageHandlers() =>
        typeof(Harbour.Cases.Casework.CaseDetailModel).Assembly.GetTypes()
            .Select(page => (Route: page.GetCustomAttributes(typeof(Microsoft.AspNetCore.Razor.Hosting.RazorCompiledItemMetadataAttribute), false)
                .Cast<Microsoft.AspNetCore.Razor.Hosting.RazorCompiledItemMetadataAttribute>().FirstOrDefault(a => a.Key == "RouteTemplate")?.Value,
                Model: page.GetProperty("Model")?.PropertyType))
            .Where(page => page.Route?.Contains("{reference}") == true && page.Model is not null)
            .Select(page => (page.Route!, page.Model!.GetMethods()
                .Select(m => System.Text.RegularExpressions.Regex.Match(m.Name, "^OnPost(\\w*?)(Async)?$")).Where(m => m.Success)
                .Select(m => m.Groups[1].Value).Prepend("").Distinct().ToList()));

    // A file, a note, a task, a referral and a meeting made on the case, by the word its endpoints name them with.
    async Task<Dictionary<string, Guid>> ItemsAsync(HttpClient admin, ReportSubmitted report)
    {
        var reference = report.Reference;
        var adminId = (await admin.GetFromJsonAsync<JsonElement>("/api/staff")).EnumerateArray()
            .Single(a => a.GetProperty("email").GetString() == cases.AdminEmail).GetProperty("id").GetString();
        var (referralId, meetingId, fileId) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        (await admin.PostAsJsonAsync($"/api/cases/{reference}/notes", new { text = "A note to name." })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.PostAsJsonAsync($"/api/cases/{reference}/tasks", new { title = "A task to name", dueOn = DateTime.UtcNow.AddDays(7).ToString("yyyy-MM-dd"), ownerId = adminId }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.PostAsJsonAsync($"/api/cases/{reference}/referrals", new { referralId, serviceId = "counselling", how = "signpost" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.PostAsJsonAsync($"/api/cases/{reference}/meetings", new
        {
            meetingId, date = DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-dd"), time = "10:00", minutes = 45, format = "phone", withId = adminId,
        })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var content = SampleFiles.PngWithAuthor();
        await cases.PublishAsync(new EvidenceSubmitted(fileId, report.ReportId, reference, "evidence-1.png", "image/png", content.Length,
            Convert.ToBase64String(cases.Services.GetRequiredService<Harbour.ServiceDefaults.Security.Sealer>().SealBytes(content)), DateTimeOffset.UtcNow));
        var view = await Eventually.GetAsync(() => admin.GetFromJsonAsync<JsonElement>($"/api/cases/{reference}"),
            v => v.GetProperty("evidence").GetArrayLength() == 1, "the file on the case");
        var work = view.GetProperty("work");
        return new()
        {
            ["evidence"] = fileId, ["referrals"] = referralId, ["meetings"] = meetingId,
            ["notes"] = work.GetProperty("timeline").EnumerateArray().Single(t => t.GetProperty("kind").GetString() == "note"
                && t.GetProperty("text").GetString() == "A note to name.").GetProperty("id").GetGuid(),
            ["tasks"] = work.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("title").GetString() == "A task to name").GetProperty("id").GetGuid(),
        };
    }

    async Task<ReportSubmitted> OpenAsync(HttpClient admin, string description, string category)
    {
        var report = cases.Report(description) with { Categories = [category] };
        await cases.PublishAsync(report);
        await Eventually.GetAsync(() => admin.GetAsync($"/api/cases/{report.Reference}"), r => r.IsSuccessStatusCode, "the case to open");
        return report;
    }
}
