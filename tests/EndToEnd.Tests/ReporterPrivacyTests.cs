using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;

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
        var stored = await Eventually.GetAsync(() => EverythingInIntakesDatabaseAsync(),
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

    // Every row of every table, as JSON text.
    async Task<string> EverythingInIntakesDatabaseAsync()
    {
        await using var connection = new NpgsqlConnection(harbour.IntakeDatabase);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        var text = new StringBuilder();
        foreach (var table in tables)
        {
            await using var rows = new NpgsqlCommand($"SELECT row_to_json(t)::text FROM \"{table}\" t", connection);
            await using var reader = await rows.ExecuteReaderAsync();
            while (await reader.ReadAsync()) text.AppendLine(reader.GetString(0));
        }
        return text.ToString();
    }
}
