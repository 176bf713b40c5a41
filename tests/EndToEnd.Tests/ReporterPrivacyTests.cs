using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Harbour.EndToEnd.Tests;

[Collection(HarbourCollection.Name)]
public sealed class ReporterPrivacyTests(HarbourSystem harbour)
{
    const string Address = "203.0.113.77", Agent = "HarbourPrivacyProbe/1.0";

    [Fact]
    public async Task NothingAboutTheReportersConnectionReachesIntakesDatabaseLogsOrMessages()
    {
        var reporter = harbour.Visitor();
        var response = await reporter.SendAsync(Identifying(HttpMethod.Post, "/api/reports", JsonContent.Create(new
        {
            kind = "anonymous", categories = new[] { "stalking" }, description = "Someone waits outside my lab every evening.",
            location = "city-campus/engineering", occurredWhen = "every evening this month", reporterRole = "staff",
        })));
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var acknowledgement = await response.Content.ReadFromJsonAsync<JsonElement>();
        var reference = acknowledgement.GetProperty("reference").GetString()!;
        var followUp = Identifying(HttpMethod.Get, $"/api/reports/{reference}");
        followUp.Headers.Add("Receipt", acknowledgement.GetProperty("receipt").GetString());
        (await reporter.SendAsync(followUp)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The outbox row is the published message, byte for byte: wait until it has gone out.
        var stored = await Eventually.GetAsync(() => DatabaseDump.EveryRowAsync(harbour.IntakeDatabase),
            text => text.Contains(reference) && !text.Contains("\"sent_at\":null"), "the report's event to be published");
        var logs = await harbour.LogsOfAsync("intake");

        logs.ShouldContain($"Report {reference} accepted");
        foreach (var trace in new[] { Address, Agent })
        {
            stored.ShouldNotContain(trace);
            logs.ShouldNotContain(trace);
        }
    }

    static HttpRequestMessage Identifying(HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("X-Forwarded-For", Address);
        request.Headers.Add("X-Real-IP", Address);
        request.Headers.Add("Forwarded", $"for={Address}");
        request.Headers.UserAgent.ParseAdd(Agent);
        return request;
    }
}
