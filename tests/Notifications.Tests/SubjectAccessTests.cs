using System.Net;
using System.Text.Json;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;

namespace Harbour.Notifications.Tests;

// A data-protection officer answering a subject access request finds what the email service holds about the person: emails to
// their address, and emails and department alerts about their cases (by the references the case search found); nothing about
// anyone else's case; as a page and as JSON. A reference that is not one is refused beside its field.
public sealed class SubjectAccessTests(NotificationsFactory notifications) : IClassFixture<NotificationsFactory>
{
    [Fact]
    public async Task EmailsToThePersonAndAboutTheirCasesAreFoundAndNothingElse()
    {
        var mail = new MailCatcher(notifications.Servers.MailApi);
        var person = $"dana-{Guid.NewGuid():N}@harbour.test";
        var (theirs, others) = ($"HR-2026-{Random.Shared.Next(100000, 999999)}", $"HR-2026-{Random.Shared.Next(100000, 999999)}");
        await notifications.PublishAsync(new StaffInvited(Guid.CreateVersion7(), person, "Dana", TestMail.Sealer.Seal(SecretTokens.New()), DateTimeOffset.UtcNow.AddDays(7)));
        foreach (var reference in new[] { theirs, others })
            await notifications.PublishAsync(new DepartmentAlertRequested(Guid.CreateVersion7(), reference, "Campus Security", "security@northgate.test",
                $"Northgate University: information for Campus Security about case {reference}",
                TestMail.Sealer.Seal($"A report concerns the Library.\n{DepartmentAlertRequested.LinkPlaceholder}"), false, "Northgate University",
                TestMail.Sealer.Seal(SecretTokens.New())));
        await Eventually.GetAsync(() => mail.WithSubjectAsync(others), m => m.Count > 0, "the other case's alert");
        await Eventually.GetAsync(() => mail.WithSubjectAsync(theirs), m => m.Count > 0, "their case's alert");
        await Eventually.GetAsync(() => mail.WithSubjectAsync("Your invitation to Harbour"), m => m.Any(x => x.To.Contains(person)), "the invitation");

        var admin = notifications.SignedIn(StaffRoles.Admin);
        // Each search goes to cases' audit trail, with what it was by and found, never what was searched for.
        var (ready, audited) = notifications.Listen<SubjectAccessSearched>(s => s.ByEmail && s.References == 1 && s.Alerts == 1);
        await ready;
        var form = HtmlForm.Read(await admin.GetStringAsync($"/notifications/subject-access?references={theirs}"));
        form["references"].ShouldBe(theirs, "the case search's link brings its references");
        form["email"] = person;
        var page = await (await admin.PostAsync("/notifications/subject-access", form.ToContent())).Content.ReadAsStringAsync();

        page.ShouldContain(person);
        page.ShouldContain("Your invitation to Harbour");
        page.ShouldContain($"information for Campus Security about case {theirs}");
        page.ShouldContain("not yet", customMessage: "the alert is not acknowledged");
        page.ShouldNotContain(others);
        var search = await audited.WaitAsync(TimeSpan.FromSeconds(30));
        search.Emails.ShouldBeGreaterThanOrEqualTo(2, "the invitation and the alert");
        (search.StaffId, search.StaffName).ShouldBe(("test-Admin", "Test Admin"));

        var json = await admin.PostAsync("/notifications/subject-access?handler=Json", form.ToContent());
        json.Content.Headers.ContentDisposition!.FileName.ShouldBe("subject-access-notifications.json");
        var held = await JsonDocument.ParseAsync(await json.Content.ReadAsStreamAsync());
        held.RootElement.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("reference").GetString()).ShouldBe([theirs]);
        held.RootElement.GetProperty("emails").EnumerateArray().Select(e => e.GetProperty("subject").GetString())
            .ShouldContain(s => s!.Contains(theirs));

        form["references"] = $"{theirs}\nnot-a-reference";
        var refused = await admin.PostAsync("/notifications/subject-access", form.ToContent());
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var again = await refused.Content.ReadAsStringAsync();
        again.ShouldContain("&quot;not-a-reference&quot; is not a case reference");
        again.ShouldContain(person, customMessage: "what was typed is kept");
    }
}
