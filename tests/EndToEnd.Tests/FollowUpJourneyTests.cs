using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Harbour.EndToEnd.Tests;

[Collection(HarbourCollection.Name)]
public sealed class FollowUpJourneyTests(HarbourSystem harbour)
{
    [Fact]
    public async Task AnAnonymousReporterAndTheirCaseManagerTalkThroughTheGateway()
    {
        var reporter = harbour.Visitor();
        var report = HtmlForm.Read(await reporter.GetStringAsync("/report"));
        report["kind"] = "anonymous";
        report["categories"] = "race";
        report["description"] = "Racist comments in the seminar, twice now.";
        report["location"] = "city-campus/library";
        report["occurredWhen"] = "this week";
        report["reporterRole"] = "student";
        var confirmation = await (await reporter.PostAsync("/report", report.ToContent())).Content.ReadAsStringAsync();
        var reference = Between(confirmation, "<strong id=\"reference\">", "<");
        var receipt = Between(confirmation, "<p class=\"receipt\" id=\"receipt\">", "<");

        var staff = await harbour.SignedInStaffAsync();
        await HarbourSystem.ReplyAsync(staff, reference!, "I am sorry this happened. I can act without naming you: may I tell the module leader?");

        var open = HtmlForm.Read(await reporter.GetStringAsync("/follow-up"));
        open["reference"] = reference;
        open["receipt"] = receipt;
        (await reporter.PostAsync("/follow-up?handler=Open", open.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var followUp = await Eventually.GetAsync(() => reporter.GetStringAsync("/follow-up"),
            p => p.Contains("may I tell the module leader?") && p.Contains("A case manager is working on your report."),
            "the case manager's reply and the new status on the follow-up page");
        var answer = HtmlForm.Read(followUp, "form:has(textarea[name=body])");
        answer["body"] = "Yes, please do.";
        (await reporter.PostAsync("/follow-up?handler=Message", answer.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        await Eventually.GetAsync(() => staff.GetFromJsonAsync<JsonElement>($"/api/cases/{reference}"),
            c => c.GetProperty("messages").EnumerateArray().Any(m => m.GetProperty("body").GetString() == "Yes, please do."),
            "the reporter's answer on the case");
    }

    static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }
}
