using System.Net;
using System.Text.Json;
using Harbour.Contracts;
using Harbour.Profile;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Cases.Tests;

// A subject access request answered from the admin screens: found by email or name, others' information flagged, exported.
public sealed class SubjectAccessTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    [Fact]
    public async Task ANamedReportersCasesAreFoundByEmailOrNameWithTheirMessagesAndOthersReportsNamingThemAreFlagged()
    {
        var admin = await cases.SignedInAdminAsync();
        var tag = Guid.NewGuid().ToString("N")[..6];
        var (name, email) = ($"Robin Okafor{tag}", $"robin.{tag}@example.ac.uk");
        var own = await cases.OpenCaseAsync(admin, cases.NamedReport("Shouted at in the lab by a technician.", name, email));
        var theirs = await cases.OpenCaseAsync(admin, cases.NamedReport($"{name} keeps following me home after lectures.", "Alex Rivers", $"alex.{tag}@example.ac.uk"));
        var unrelated = await cases.OpenCaseAsync(admin, cases.NamedReport("Someone wrote slurs on my door.", "Jo Bloggs", $"jo.{tag}@example.ac.uk"));
        var reply = HtmlForm.Read(await admin.GetStringAsync($"/cases/{own.Reference}"), "form:has(textarea[name=body])");
        reply["body"] = "Thank you, Robin. Would you like to meet this week?";
        (await admin.PostAsync($"/cases/{own.Reference}?handler=Reply", reply.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // Nothing asked: the message is beside the field.
        var form = HtmlForm.Read(await admin.GetStringAsync("/cases/subject-access"), "form:has(#email)");
        var empty = await admin.PostAsync("/cases/subject-access", form.ToContent());
        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await empty.Content.ReadAsStringAsync()).ShouldContain("id=\"email-error\"");

        form["email"] = email.ToUpperInvariant();
        var byEmail = await (await admin.PostAsync("/cases/subject-access", form.ToContent())).Content.ReadAsStringAsync();
        byEmail.ShouldContain(own.Reference);
        byEmail.ShouldContain("Would you like to meet this week?");
        byEmail.ShouldNotContain(theirs.Reference, customMessage: "found by email: only where they reported");
        byEmail.ShouldNotContain(unrelated.Reference);

        form["email"] = "";
        form["name"] = name.ToLowerInvariant();
        var byName = await (await admin.PostAsync("/cases/subject-access", form.ToContent())).Content.ReadAsStringAsync();
        byName.ShouldContain(own.Reference);
        byName.ShouldContain(theirs.Reference);
        byName.ShouldContain("in a report someone else made");
        byName.ShouldContain("Review before release");
        byName.ShouldNotContain(unrelated.Reference);

        form["name"] = "Okafor";
        (await (await admin.PostAsync("/cases/subject-access", form.ToContent())).Content.ReadAsStringAsync())
            .ShouldNotContain(own.Reference, customMessage: "a name is matched by whole words: Okafor is not " + name);

        form["name"] = name;
        var third = JsonDocument.Parse(await (await admin.PostAsync("/cases/subject-access?handler=Json", form.ToContent())).Content.ReadAsStringAsync())
            .RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("reference").GetString() == theirs.Reference);
        third.GetProperty("report").GetProperty("contactEmail").ValueKind.ShouldBe(JsonValueKind.Null, "nothing of the other reporter");
        third.GetProperty("messages").GetArrayLength().ShouldBe(0);
        third.GetProperty("report").GetProperty("description").GetString()!.ShouldContain(name);

        form["name"] = "";
        form["email"] = email;
        var download = await admin.PostAsync("/cases/subject-access?handler=Json", form.ToContent());
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        download.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var export = JsonDocument.Parse(await download.Content.ReadAsStringAsync()).RootElement;
        var exported = export.GetProperty("cases").EnumerateArray().Single();
        exported.GetProperty("reference").GetString().ShouldBe(own.Reference);
        exported.GetProperty("report").GetProperty("contactEmail").GetString().ShouldBe(email);
        exported.GetProperty("messages").EnumerateArray().ShouldContain(m => m.GetProperty("body").GetString()!.Contains("meet this week"));

        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var searches = await db.AuditLog.Where(a => a.Action == "subject-access.searched").Select(a => a.Detail).ToListAsync();
        searches.Count.ShouldBeGreaterThanOrEqualTo(3);
        searches.ShouldAllBe(d => !d!.Contains(tag), "the audit log says how, not who, was searched for");
        var ownId = (await db.Cases.SingleAsync(c => c.Reference == own.Reference)).Id;
        (await db.AuditLog.CountAsync(a => a.CaseId == ownId && a.Action == "case.subject-access")).ShouldBeGreaterThanOrEqualTo(2);
    }

    // notifications keeps no audit trail: its subject access searches come onto this one, once each, without their terms.
    [Fact]
    public async Task ASearchOfNotificationsIsAuditedHereOnceWithoutWhatWasSearchedFor()
    {
        var search = new SubjectAccessSearched(Guid.CreateVersion7(), Guid.NewGuid().ToString(), "Dee Protection", ByEmail: true, References: 2, Emails: 5,
            Alerts: 1, DateTimeOffset.UtcNow);
        var searches = new ConsumeCounter<SubjectAccessSearched>();
        using var observer = cases.Services.GetRequiredService<MassTransit.IBus>().ConnectConsumeObserver(searches);
        await cases.PublishAsync(search);
        await cases.PublishAsync(search);
        await searches.WaitForAsync(2, "both copies to be consumed");

        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var entries = await db.AuditLog.Where(a => a.Actor == $"Dee Protection ({search.StaffId})").ToListAsync();
        var entry = entries.ShouldHaveSingleItem("once, however often it is delivered");
        entry.Action.ShouldBe("subject-access.notifications-searched");
        entry.Detail.ShouldBe($"search {search.SearchId}: made {search.At.InUk():d MMMM yyyy HH:mm:ss} UK time, by email address and 2 case references: 5 emails, 1 department alert");
    }
}
