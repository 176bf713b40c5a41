using System.Net;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;

namespace Harbour.Notifications.Tests;

// An admin changes the words of an email, sees it as it will go (plain text and HTML) before saving, and the next email uses
// the new words; a template that would break the email is refused beside its field with what was typed kept.
public sealed class EmailTemplateTests(NotificationsFactory notifications) : IClassFixture<NotificationsFactory>
{
    static async Task<HttpResponseMessage> PostAsync(HttpClient admin, string handler, string subject, string text)
    {
        var page = await admin.GetStringAsync("/notifications/templates/staff-invited");
        return await admin.PostAsync($"/notifications/templates/staff-invited?handler={handler}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["subject"] = subject, ["text"] = text, ["__RequestVerificationToken"] = StaffSignIn.AntiforgeryTokenIn(page),
        }));
    }

    async Task<(string Text, string Html)> InviteAsync(string subject)
    {
        var mail = new MailCatcher(notifications.Servers.MailApi);
        var email = $"new-{Guid.NewGuid():N}@harbour.test";
        await notifications.PublishAsync(new StaffInvited(Guid.NewGuid(), email, "Priya Shah", TestMail.Sealer.Seal("LINK-TOKEN"), new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero)));
        var sent = await Eventually.GetAsync(() => mail.WithSubjectAsync(subject), m => m.Any(x => x.To.Contains(email)), "the invitation");
        var found = sent.First(m => m.To.Contains(email));
        return (await mail.PlainTextAsync(found), await mail.HtmlAsync(found));
    }

    [Fact]
    public async Task AnAdminPreviewsAndSavesNewWordsAndTheNextEmailUsesThemUntilTheDefaultIsBack()
    {
        var admin = notifications.SignedIn(StaffRoles.Admin);
        const string words = "Dear {name},\n\nWELCOME-MARKER: Northgate's case team asks you to join Harbour.\n\n{link}\n\nUntil {expires}.";

        var unknown = await PostAsync(admin, "Preview", "Join us", words.Replace("{expires}", "{reference}"));
        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var shown = await unknown.Content.ReadAsStringAsync();
        shown.ShouldContain("{reference} is not a placeholder of this email");
        shown.ShouldContain("WELCOME-MARKER: Northgate&#x27;s case team", customMessage: "what was typed is kept");
        var linkless = await PostAsync(admin, "Save", "Join us", words.Replace("{link}", "(link)"));
        linkless.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await linkless.Content.ReadAsStringAsync()).ShouldContain("Keep {link} in the email");
        var secretSubject = await PostAsync(admin, "Save", "Join us: {link}", words);
        secretSubject.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await secretSubject.Content.ReadAsStringAsync()).ShouldContain("{link} cannot go in the subject", customMessage: "a subject is logged and seen on lock screens");

        var preview = await PostAsync(admin, "Preview", "Join us, {name}", words);
        preview.StatusCode.ShouldBe(HttpStatusCode.OK);
        var previewed = await preview.Content.ReadAsStringAsync();
        previewed.ShouldContain("Join us, Sam Taylor", customMessage: "the subject with a sample name");
        previewed.ShouldContain("Dear Sam Taylor,");
        previewed.ShouldContain("srcdoc=", customMessage: "the HTML version is shown too");
        (await InviteAsync("Your invitation to Harbour")).Text.ShouldNotContain("WELCOME-MARKER", customMessage: "a preview saves nothing");

        var saved = await PostAsync(admin, "Save", "Join us, {name}", words);
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await admin.GetStringAsync("/notifications/templates")).ShouldContain("Changed ");
        var (text, html) = await InviteAsync("Join us, Priya Shah");
        text.ShouldContain("Dear Priya Shah,");
        text.ShouldContain("WELCOME-MARKER");
        text.ShouldContain("http://localhost:8080/cases/invitation/LINK-TOKEN");
        html.ShouldContain("<a href=\"http://localhost:8080/cases/invitation/LINK-TOKEN\">");
        html.ShouldContain("Northgate&#39;s case team");

        var page = await admin.GetStringAsync("/notifications/templates/staff-invited");
        (await admin.PostAsync("/notifications/templates/staff-invited?handler=Default", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = StaffSignIn.AntiforgeryTokenIn(page),
        }))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await InviteAsync("Your invitation to Harbour")).Text.ShouldContain("You have been invited to Harbour");
    }

    [Fact]
    public async Task OnlyEditableEmailsHaveATemplatePage()
    {
        var admin = notifications.SignedIn(StaffRoles.Admin);
        (await admin.GetAsync("/notifications/templates/department-alert")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.GetAsync("/notifications/templates/no-such-email")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await notifications.SignedIn(StaffRoles.CaseManager).GetAsync("/notifications/templates/staff-invited")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
