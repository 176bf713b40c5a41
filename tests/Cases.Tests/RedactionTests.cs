using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbour.Cases.Staff;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;
using Harbour.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Cases.Tests;

// Redaction destroys a field of the report or a message for good, says why on the timeline, and tells intake to destroy its copy;
// only those responsible for the case may do it. A printed summary leaves out what is gone and the legal compartment, and is audited.
public sealed class RedactionTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    const string Team = "Equality and inclusion";

    async Task<(HttpClient Assignee, ReportSubmitted Report)> AssignedCaseAsync(string description)
    {
        var (assignee, assigneeId) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, Team);
        var report = await cases.OpenCaseAsync(assignee, cases.NamedReport(description, "Ruth Adeyemi", "ruth@student.test") with { Categories = ["race"] });
        (await assignee.PostAsJsonAsync($"/api/cases/{report.Reference}/assignment", new { assigneeId })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        return (assignee, report);
    }

    static async Task<HttpResponseMessage> RedactOnPageAsync(HttpClient staff, string reference, string item, string reason, bool confirm)
    {
        var page = await staff.GetStringAsync($"/cases/{reference}/redact");
        var form = new Dictionary<string, string> { ["item"] = item, ["reason"] = reason, ["__RequestVerificationToken"] = StaffSignIn.AntiforgeryTokenIn(page) };
        if (confirm) form["confirm"] = "true";
        return await staff.PostAsync($"/cases/{reference}/redact", new FormUrlEncodedContent(form));
    }

    [Fact]
    public async Task RedactingTheDescriptionAndAMessageDestroysThemAndSaysWhyOnTheTimeline()
    {
        var (assignee, report) = await AssignedCaseAsync("NARRATIVE-MARKER-7731: the man from the lab, whose name is on the door, shouted at me.");
        var sealer = cases.Services.GetRequiredService<Sealer>();
        var messageId = Guid.CreateVersion7();
        await cases.PublishAsync(new ReporterWrote(messageId, report.ReportId, report.Reference, sealer.Seal("MESSAGE-MARKER-4410: his phone number is 07700 900123."), DateTimeOffset.UtcNow));
        await Eventually.GetAsync(() => assignee.GetFromJsonAsync<JsonElement>($"/api/cases/{report.Reference}"),
            c => c.GetProperty("messages").GetArrayLength() == 1, "the reporter's message");
        var (fieldReady, fieldGone) = cases.Listen<CaseContentRedacted>(r => r.ReportId == report.ReportId && r.Field == RedactableFields.Description);
        var (messageReady, messageGone) = cases.Listen<CaseContentRedacted>(r => r.MessageId == messageId);
        await Task.WhenAll(fieldReady, messageReady);

        var noReason = await RedactOnPageAsync(assignee, report.Reference, "field:description", " ", confirm: true);
        noReason.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var shown = await noReason.Content.ReadAsStringAsync();
        shown.ShouldContain("Say why it is redacted");
        shown.ShouldContain("value=\"field:description\" checked=\"checked\"", customMessage: "the choice is kept");
        var unconfirmed = await RedactOnPageAsync(assignee, report.Reference, "field:description", "REASON-MARKER: names a third party", confirm: false);
        unconfirmed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await unconfirmed.Content.ReadAsStringAsync()).ShouldContain("REASON-MARKER: names a third party", customMessage: "the reason typed is kept");

        for (var send = 0; send < 2; send++)
        {
            var done = await RedactOnPageAsync(assignee, report.Reference, "field:description", "REASON-MARKER: names a third party", confirm: true);
            done.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            done.Headers.Location!.ToString().ShouldBe($"/cases/{report.Reference}#timeline");
        }
        (await assignee.PostAsJsonAsync($"/api/cases/{report.Reference}/redactions", new { messageId, reason = "It gives a phone number." }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var view = await assignee.GetFromJsonAsync<JsonElement>($"/api/cases/{report.Reference}");
        view.GetProperty("details").GetProperty("description").GetString().ShouldBe("");
        view.GetProperty("redactedFields").EnumerateArray().Select(f => f.GetString()).ShouldBe(["description"]);
        var message = view.GetProperty("messages").EnumerateArray().ShouldHaveSingleItem();
        message.GetProperty("body").GetString().ShouldBe("");
        message.GetProperty("redactedAt").ValueKind.ShouldBe(JsonValueKind.String);
        var timeline = view.GetProperty("work").GetProperty("timeline").EnumerateArray().Where(t => t.GetProperty("kind").GetString() == "redacted").ToList();
        timeline.Count.ShouldBe(2, "sent twice, the field's redaction is on the timeline once");
        timeline.ShouldContain(t => t.GetProperty("what").GetString() == "Redacted: What happened");
        timeline.ShouldContain(t => t.GetProperty("what").GetString()!.StartsWith("Redacted a message from the reporter of "));
        timeline.ShouldContain(t => t.GetProperty("text").GetString() == "REASON-MARKER: names a third party");
        var page = await assignee.GetStringAsync($"/cases/{report.Reference}");
        page.ShouldNotContain("NARRATIVE-MARKER-7731");
        page.ShouldNotContain("MESSAGE-MARKER-4410");
        page.ShouldContain("(redacted)");

        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var kept = await db.Cases.SingleAsync(c => c.Reference == report.Reference);
        sealer.Open<ReportDetails>(kept.SealedDetails).Description.ShouldBe("");
        (await db.Messages.SingleAsync(m => m.Id == messageId)).SealedBody.ShouldBe("", "the sealed original is overwritten, not kept aside");
        (await db.AuditLog.CountAsync(a => a.CaseId == kept.Id && a.Action == "case.redacted")).ShouldBe(2);
        (await fieldGone.WaitAsync(TimeSpan.FromSeconds(30))).MessageId.ShouldBeNull();
        var gone = await messageGone.WaitAsync(TimeSpan.FromSeconds(30));
        (gone.MessageFrom, gone.Field).ShouldBe((MessageSenders.Reporter, null));
    }

    [Fact]
    public async Task OnlyThoseResponsibleForTheCaseMayRedactItAndBadRequestsChangeNothing()
    {
        var (assignee, report) = await AssignedCaseAsync("Called names at the bus stop by the sports hall.");
        var (colleague, _) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, Team);
        var other = await cases.OpenCaseAsync(assignee, cases.Report("Another case."));
        var sealer = cases.Services.GetRequiredService<Sealer>();
        var otherMessage = Guid.CreateVersion7();
        await cases.PublishAsync(new ReporterWrote(otherMessage, other.ReportId, other.Reference, sealer.Seal("On another case."), DateTimeOffset.UtcNow));

        (await colleague.GetAsync($"/cases/{report.Reference}/redact")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await colleague.PostAsJsonAsync($"/api/cases/{report.Reference}/redactions", new { field = "description", reason = "x" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await colleague.GetStringAsync($"/cases/{report.Reference}")).ShouldNotContain("Redact part of this case");
        (await assignee.GetStringAsync($"/cases/{report.Reference}")).ShouldContain("Redact part of this case");

        async Task<string> ProblemAsync(object body)
        {
            var response = await assignee.PostAsJsonAsync($"/api/cases/{report.Reference}/redactions", body);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Single().Name;
        }
        (await ProblemAsync(new { field = "description", messageId = otherMessage, reason = "x" })).ShouldBe("item");
        (await ProblemAsync(new { field = "status", reason = "x" })).ShouldBe("item");
        (await ProblemAsync(new { field = "meeting-times", reason = "x" })).ShouldBe("item", "a field with nothing in it");
        (await ProblemAsync(new { messageId = otherMessage, reason = "x" })).ShouldBe("item", "a message of another case");
        (await ProblemAsync(new { field = "description", reason = "\u202Eevil" })).ShouldBe("reason");

        var view = await assignee.GetFromJsonAsync<JsonElement>($"/api/cases/{report.Reference}");
        view.GetProperty("details").GetProperty("description").GetString().ShouldBe("Called names at the bus stop by the sports hall.");
        view.GetProperty("redactedFields").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task APrintedSummaryLeavesOutRedactedTextAndTheLegalCompartmentAndIsAudited()
    {
        var (assignee, report) = await AssignedCaseAsync("Shoved in the queue at the refectory.");
        (await assignee.PostAsJsonAsync($"/api/cases/{report.Reference}/legal-advice", new { advice = "ADVICE-MARKER-5120: keep the CCTV." })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await assignee.PostAsJsonAsync($"/api/cases/{report.Reference}/alerts",
            new { departmentId = "faculty-science", text = "Please speak to the catering manager.", identityShared = true })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await assignee.PostAsJsonAsync($"/api/cases/{report.Reference}/notes", new { text = "Wrote to ruth@student.test to arrange a call." }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await assignee.PostAsJsonAsync($"/api/cases/{report.Reference}/redactions", new { field = "contact-email", reason = "Asked us to forget it." }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var work = (await assignee.GetFromJsonAsync<JsonElement>($"/api/cases/{report.Reference}")).GetProperty("work");
        var alertBody = work.GetProperty("alerts").EnumerateArray().ShouldHaveSingleItem().GetProperty("body").GetString()!;
        alertBody.ShouldContain("Ruth Adeyemi\n(redacted)", customMessage: "the copy the alert template made is redacted with the field");
        work.GetProperty("timeline").EnumerateArray().ShouldContain(t => t.GetProperty("text").GetString() == "Wrote to (redacted) to arrange a call.");

        var print = await assignee.GetAsync($"/cases/{report.Reference}/print");
        print.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await print.Content.ReadAsStringAsync();
        page.ShouldContain($"Case {report.Reference}: summary");
        page.ShouldContain("Confidential: special category personal data");
        page.ShouldContain("Shoved in the queue at the refectory.");
        page.ShouldContain("Ruth Adeyemi");
        page.ShouldNotContain("ruth@student.test");
        page.ShouldContain("Redacted: Email address");
        page.ShouldNotContain("ADVICE-MARKER-5120");
        (await cases.Browser().GetAsync($"/cases/{report.Reference}/print")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var (stranger, _) = await cases.SignedInStaffAsync(StaffRoles.CaseManager, "Sexual violence and abuse");
        (await stranger.GetAsync($"/cases/{report.Reference}/print")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var caseId = await db.Cases.Where(c => c.Reference == report.Reference).Select(c => c.Id).SingleAsync();
        (await db.AuditLog.CountAsync(a => a.CaseId == caseId && a.Action == "case.printed")).ShouldBe(1);
    }
}
