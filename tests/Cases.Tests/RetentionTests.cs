using System.Net;
using System.Net.Http.Json;
using Harbour.Cases.Profile;
using Harbour.Cases.Retention;
using Harbour.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Cases.Tests;

// Retention by the institution profile's rules (anonymous reports: 12 months from submission; named and meeting: 72 months
// from closure), run with a moved clock; legal hold; the admins' retention page and deletion log.
public sealed class RetentionTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    [Fact]
    public async Task ACaseIsDeletedWithEverythingOnItWhenItsPeriodEndsAndOnlyItsReferenceAndRuleAreKept()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = await cases.OpenCaseAsync(admin, cases.Report("Cornered behind the sports hall by a stranger.")
            with { SubmittedAt = DateTimeOffset.UtcNow });
        await ReplyAsync(admin, report.Reference, "Thank you for telling us. Are you safe now?");
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/notes", new { text = "Asked security for the camera footage." }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var adminId = (await admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/staff")).EnumerateArray()
            .Single(a => a.GetProperty("email").GetString() == cases.AdminEmail).GetProperty("id").GetString();
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/tasks",
            new { title = "Chase the footage", dueOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(7)), ownerId = adminId })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var caseId = await IdOfAsync(report.Reference);
        var deleted = cases.Listen<CaseDeleted>(d => d.ReportId == report.ReportId);
        await deleted.Ready;

        (await KeptAfterSweepAsync(report.Reference, TimeSpan.FromDays(360))).ShouldBeTrue("twelve months have not passed");
        (await KeptAfterSweepAsync(report.Reference, TimeSpan.FromDays(370))).ShouldBeFalse();
        await SweepAsync(TimeSpan.FromDays(370)); // a case is deleted once: the deletion log below holds a single line

        var told = await deleted.Message.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        told.Reference.ShouldBe(report.Reference);
        told.Rule.ShouldBe("anonymous reports: 12 months from submission");
        (await admin.GetAsync($"/cases/{report.Reference}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        (await db.Cases.AnyAsync(c => c.Id == caseId)).ShouldBeFalse();
        (await db.Timeline.AnyAsync(t => t.CaseId == caseId)).ShouldBeFalse("notes and the timeline go with it");
        (await db.Steps.AnyAsync(s => s.CaseId == caseId)).ShouldBeFalse();
        (await db.Messages.AnyAsync(m => m.ReportId == report.ReportId)).ShouldBeFalse("the conversation goes with it");
        // Every table that keeps rows by case or by report: none keeps one of this case (a new table left out of the sweep fails here).
        foreach (var entity in db.Model.GetEntityTypes())
            foreach (var (property, id) in new[] { ("CaseId", caseId), ("ReportId", report.ReportId) })
                if (entity.FindProperty(property) is { } column && entity.GetTableName() is { } table && entity.GetSchema() != "audit")
                {
                    // Names from the model, not from anyone's input.
                    var count = "SELECT count(*)::int AS \"Value\" FROM " + table + " WHERE " + column.GetColumnName() + " = {0}";
                    var left = await db.Database.SqlQueryRaw<int>(count, id).SingleAsync();
                    left.ShouldBe(0, $"{table} keeps a row of the deleted case");
                }
        var line = await db.Deletions.SingleAsync(d => d.Reference == report.Reference);
        (line.Kind, line.Rule).ShouldBe(("anonymous", "anonymous reports: 12 months from submission"));
        var audited = await db.AuditLog.SingleAsync(a => a.CaseId == caseId && a.Action == "case.deleted");
        audited.Actor.ShouldBe("retention");
        var kept = await db.Database.SqlQuery<string>(
            $"SELECT payload::text AS \"Value\" FROM outbox_messages WHERE type <> {typeof(CaseDeleted).FullName}").ToListAsync();
        kept.ShouldNotContain(p => p.Contains(report.ReportId.ToString()), "the outbox keeps no copy of what was said on the case");

        var page = await admin.GetStringAsync("/cases/retention");
        page.ShouldContain(report.Reference);
        page.ShouldContain("anonymous reports: 12 months from submission");
        page.ShouldContain("sign-in) 24 months after it was written", customMessage: "the audit trail's details have a period too");

        // The report's own event delivered again (an operator replaying an error queue) opens nothing again.
        var consumed = cases.Consumed.Consumed;
        await cases.PublishAsync(report);
        await cases.Consumed.WaitForAsync(consumed + 1, "the late copy to be consumed");
        (await db.Cases.AnyAsync(c => c.Reference == report.Reference)).ShouldBeFalse("a late copy does not bring the case back");
    }

    [Fact]
    public async Task AnAdminErasesACaseOnRequestAtOnceOrRecordsOnWhatGroundNot()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = await cases.OpenCaseAsync(admin, cases.NamedReport("Harassed on the course group chat.", "Kim Lee", "kim.lee@example.ac.uk")
            with { SubmittedAt = DateTimeOffset.UtcNow });
        var deleted = cases.Listen<CaseDeleted>(d => d.ReportId == report.ReportId);
        await deleted.Ready;
        var url = $"/cases/{report.Reference}?handler=Erasure";
        var form = HtmlForm.Read(await admin.GetStringAsync($"/cases/{report.Reference}"), "form:has(#confirm)");

        form["decision"] = "refuse";
        var noGround = await admin.PostAsync(url, form.ToContent());
        noGround.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await noGround.Content.ReadAsStringAsync()).ShouldContain("id=\"ground-error\"");
        form["ground"] = ErasureGrounds.LegalClaims;
        (await admin.PostAsync(url, form.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await admin.GetStringAsync($"/cases/{report.Reference}")).ShouldContain("Request to erase refused: Needed to establish, exercise or defend legal claims");

        form["decision"] = "erase";
        form["confirm"] = "HR-2000-000001";
        var unconfirmed = await admin.PostAsync(url, form.ToContent());
        unconfirmed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await unconfirmed.Content.ReadAsStringAsync();
        html.ShouldContain("id=\"confirm-error\"");
        html.ShouldContain("value=\"HR-2000-000001\"", customMessage: "what was typed is kept");

        var (manager, managerId) = await cases.SignedInStaffAsync("CaseManager");
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/assignment", new { assigneeId = managerId })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var managersPage = await manager.GetStringAsync($"/cases/{report.Reference}");
        managersPage.ShouldNotContain("A request to erase the case");
        var managersForm = HtmlForm.Read(managersPage, "form:has(textarea[name=body])");
        managersForm["decision"] = "erase";
        managersForm["confirm"] = report.Reference;
        (await manager.PostAsync(url, managersForm.ToContent())).StatusCode.ShouldBe(HttpStatusCode.NotFound, "only an Admin decides");

        form["confirm"] = report.Reference;
        var erased = await admin.PostAsync(url, form.ToContent());
        erased.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        erased.Headers.Location!.ToString().ShouldBe("/cases/retention#deleted");
        (await admin.GetAsync($"/cases/{report.Reference}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await deleted.Message.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken)).Rule.ShouldBe(Erasure.Rule);
        await using var scope = cases.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<CasesDbContext>().Deletions.SingleAsync(d => d.Reference == report.Reference))
            .Rule.ShouldBe("erased on request (UK GDPR Article 17)");
    }

    [Theory]
    [InlineData("2029-02-28", 12, "2028-02-29")]
    [InlineData("2027-02-28", 6, "2026-08-31")]
    [InlineData("2027-03-01", 6, "2026-09-01")]
    [InlineData("2027-12-01", 12, "2026-12-01")]
    public void TheLatestDateDueByADayAgreesWithTheDueDateShownAtMonthEnds(string day, int months, string latest)
    {
        var start = RetentionSchedule.LatestStartDueBy(DateOnly.Parse(day), months);

        start.ShouldBe(DateOnly.Parse(latest));
        start.AddMonths(months).ShouldBeLessThanOrEqualTo(DateOnly.Parse(day));
        start.AddDays(1).AddMonths(months).ShouldBeGreaterThan(DateOnly.Parse(day));
    }

    [Fact]
    public async Task ALegalHoldPlacedByAnAdminKeepsTheCaseUntilItIsLifted()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = await cases.OpenCaseAsync(admin, cases.Report("Threatened after the seminar; the student has made a claim.")
            with { SubmittedAt = DateTimeOffset.UtcNow });
        var page = await admin.GetStringAsync($"/cases/{report.Reference}");
        page.ShouldContain("Due for deletion from");

        // No reason: the form comes back with the message beside the field.
        var form = HtmlForm.Read(page, "form:has(#holdReason)");
        var noReason = await admin.PostAsync($"/cases/{report.Reference}?handler=LegalHold", form.ToContent());
        noReason.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await noReason.Content.ReadAsStringAsync()).ShouldContain("id=\"holdReason-error\"");

        // A case manager who has the case cannot place or lift one.
        var (manager, managerId) = await cases.SignedInStaffAsync("CaseManager");
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/assignment", new { assigneeId = managerId })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var managersPage = await manager.GetStringAsync($"/cases/{report.Reference}");
        managersPage.ShouldNotContain("Place a legal hold");
        var managersForm = HtmlForm.Read(managersPage, "form:has(textarea[name=body])");
        managersForm["holdReason"] = "Trying my luck.";
        (await manager.PostAsync($"/cases/{report.Reference}?handler=LegalHold", managersForm.ToContent())).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        form["holdReason"] = "Employment tribunal claim lodged; keep everything until it ends.";
        (await admin.PostAsync($"/cases/{report.Reference}?handler=LegalHold", form.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var held = await admin.GetStringAsync($"/cases/{report.Reference}");
        held.ShouldContain("On legal hold since");
        held.ShouldContain("Employment tribunal claim lodged; keep everything until it ends.", customMessage: "the reason is on the timeline");

        var erase = HtmlForm.Read(held, "form:has(#confirm)");
        (erase["decision"], erase["confirm"]) = ("erase", report.Reference);
        var refused = await admin.PostAsync($"/cases/{report.Reference}?handler=Erasure", erase.ToContent());
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "a held case is not erased on request either");
        (await refused.Content.ReadAsStringAsync()).ShouldContain("id=\"decision-error\"");

        (await KeptAfterSweepAsync(report.Reference, TimeSpan.FromDays(800))).ShouldBeTrue("a case on legal hold is kept");
        (await admin.GetStringAsync("/cases/retention")).ShouldContain(report.Reference);

        var lift = HtmlForm.Read(held, $"form[action*='handler=LiftLegalHold']");
        (await admin.PostAsync($"/cases/{report.Reference}?handler=LiftLegalHold", lift.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await KeptAfterSweepAsync(report.Reference, TimeSpan.FromDays(800))).ShouldBeFalse("once lifted, the period's end applies");
        (await admin.GetAsync($"/cases/{report.Reference}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ACaseKeptFromClosureIsKeptWhileOpenAndGoesSixYearsAfterItCloses()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = await cases.OpenCaseAsync(admin, cases.NamedReport("Messages every night from a classmate.", "Sam Taylor", "sam@example.ac.uk")
            with { SubmittedAt = DateTimeOffset.UtcNow });
        (await admin.GetStringAsync($"/cases/{report.Reference}")).ShouldContain("Kept while it is open");

        (await KeptAfterSweepAsync(report.Reference, TimeSpan.FromDays(3000))).ShouldBeTrue("an open case is kept whatever its age");

        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/closure", new { outcome = "support-provided" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await KeptAfterSweepAsync(report.Reference, TimeSpan.FromDays(365 * 6))).ShouldBeTrue("six years after closure less a day or two");
        (await KeptAfterSweepAsync(report.Reference, TimeSpan.FromDays(365 * 6 + 5))).ShouldBeFalse();
        await using var scope = cases.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<CasesDbContext>().Deletions.SingleAsync(d => d.Reference == report.Reference))
            .Rule.ShouldBe("named reports: 72 months from closure");
    }

    // A rule for a kind and an outcome takes the place of the kind's own rule for cases closed with that outcome, from closure.
    [Fact]
    public async Task ARuleForAnOutcomeKeepsCasesClosedWithItForTheirOwnPeriod()
    {
        var admin = await cases.SignedInAdminAsync();
        var profile = Harbour.Profile.DefaultProfile.Value;
        var wrong = profile with { Retention = [.. profile.Retention,
            new Contracts.Retention { Kind = "named", Outcome = "no-such-outcome", Months = 24, AfterClosure = true },
            new Contracts.Retention { Kind = "meeting", Outcome = "no-contact", Months = 24 }] };
        var refused = await admin.PutAsync("/api/profile", Yaml(wrong));
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await refused.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("errors");
        errors.GetProperty($"retention[{profile.Retention.Count}].outcome")[0].GetString()!.ShouldStartWith("Enter support-provided");
        errors.GetProperty($"retention[{profile.Retention.Count + 1}].afterClosure")[0].GetString()!.ShouldContain("counts from closure");

        var rule = new Contracts.Retention { Kind = "named", Outcome = "no-contact", Months = 24, AfterClosure = true };
        (await admin.PutAsync("/api/profile", Yaml(profile with { Retention = [.. profile.Retention, rule] }))).StatusCode.ShouldBe(HttpStatusCode.OK);
        try
        {
            var unreached = await cases.OpenCaseAsync(admin, cases.NamedReport("Followed to the bus stop twice.", "Ash Green", "ash@example.ac.uk")
                with { SubmittedAt = DateTimeOffset.UtcNow });
            var supported = await cases.OpenCaseAsync(admin, cases.NamedReport("Slurs shouted in the corridor.", "Bo Reed", "bo@example.ac.uk")
                with { SubmittedAt = DateTimeOffset.UtcNow });
            (await admin.PostAsJsonAsync($"/api/cases/{unreached.Reference}/closure", new { outcome = "no-contact" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
            (await admin.PostAsJsonAsync($"/api/cases/{supported.Reference}/closure", new { outcome = "support-provided" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
            (await admin.GetStringAsync($"/cases/{unreached.Reference}")).ShouldContain("(named reports closed as no-contact: 24 months from closure)");
            (await admin.GetStringAsync("/cases/retention")).ShouldContain("named reports closed as no-contact: 24 months from closure");

            (await KeptAfterSweepAsync(unreached.Reference, TimeSpan.FromDays(365 * 2 - 2))).ShouldBeTrue("two years after closure less a day or two");
            (await KeptAfterSweepAsync(unreached.Reference, TimeSpan.FromDays(365 * 2 + 5))).ShouldBeFalse("two years after it closed with no contact");
            (await ExistsAsync(supported.Reference)).ShouldBeTrue("closed with another outcome: the kind's six years");
            await using var scope = cases.Services.CreateAsyncScope();
            (await scope.ServiceProvider.GetRequiredService<CasesDbContext>().Deletions.SingleAsync(d => d.Reference == unreached.Reference))
                .Rule.ShouldBe("named reports closed as no-contact: 24 months from closure");
        }
        finally
        {
            (await admin.PutAsync("/api/profile", Yaml(profile))).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    static StringContent Yaml(Contracts.InstitutionProfile profile) =>
        new(ProfileFile.Write(profile, yaml: true), System.Text.Encoding.UTF8, "application/yaml");

    async Task<bool> ExistsAsync(string reference)
    {
        await using var scope = cases.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CasesDbContext>().Cases.AnyAsync(c => c.Reference == reference);
    }

    // Every case of this class's database is swept, other tests' too, so each test looks only at its own case.
    async Task<bool> KeptAfterSweepAsync(string reference, TimeSpan later)
    {
        await SweepAsync(later);
        return await ExistsAsync(reference);
    }

    async Task SweepAsync(TimeSpan later)
    {
        await using var scope = cases.Services.CreateAsyncScope();
        await RetentionSweep.RunAsync(scope.ServiceProvider.GetRequiredService<CasesDbContext>(), new LaterClock(later), default);
    }

    async Task<Guid> IdOfAsync(string reference)
    {
        await using var scope = cases.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<CasesDbContext>().Cases.SingleAsync(c => c.Reference == reference)).Id;
    }

    static async Task ReplyAsync(HttpClient staff, string reference, string body)
    {
        var reply = HtmlForm.Read(await staff.GetStringAsync($"/cases/{reference}"), "form:has(textarea[name=body])");
        reply["body"] = body;
        (await staff.PostAsync($"/cases/{reference}?handler=Reply", reply.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }
}
