using System.Net;
using System.Text.RegularExpressions;

namespace Harbour.Intake.Tests;

public sealed class ReportFormTests(IntakeFactory intake) : IClassFixture<IntakeFactory>
{
    static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var page = await client.GetStringAsync("/report");
        var form = fields.Append(new("__RequestVerificationToken", StaffSession.AntiforgeryTokenIn(page)));
        return await client.PostAsync("/report", new FormUrlEncodedContent(form));
    }

    [Fact]
    public async Task FormWorksWithoutJavaScriptAndShowsTheReferenceAndReceipt()
    {
        var response = await PostFormAsync(intake.CreateClient(), [
            new("kind", "anonymous"), new("categories", "race"), new("categories", "bullying"),
            new("description", "Pushed and called names in the sports hall."), new("location", "park-campus/sports-centre"),
            new("occurredOn", "2026-01-15"), new("reporterRole", "staff"),
        ]);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("Your report has been received");
        Regex.IsMatch(html, @"id=""reference"">HR-\d{4}-\d{6}<").ShouldBeTrue();
        Regex.IsMatch(html, @"id=""receipt"">([0-9A-Z]{4}-){6}[0-9A-Z]{2}<").ShouldBeTrue();
    }

    [Fact]
    public async Task MistakesAreShownBesideTheFieldsAndWhatWasTypedIsKept()
    {
        var response = await PostFormAsync(intake.CreateClient(), [
            new("kind", "named"), new("description", "It happened on the bus & it was <frightening>."),
            new("location", "online"), new("occurredWhen", "over several months"), new("reporterRole", "student"),
            new("contactEmail", "sam@example"),
        ]);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("There is a problem");
        html.ShouldContain("id=\"categories-error\"");
        html.ShouldContain("id=\"contactName-error\"");
        html.ShouldContain("id=\"contactEmail-error\"");
        html.ShouldContain("It happened on the bus &amp; it was &lt;frightening&gt;.</textarea>");
        html.ShouldContain("value=\"over several months\"");
        html.ShouldContain("value=\"sam@example\"");
        Regex.IsMatch(html, "id=\"kind-named\" value=\"named\" checked").ShouldBeTrue();
    }
}
