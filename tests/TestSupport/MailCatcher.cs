using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Harbour.Testing;

// ReceivedDate: when the catcher received it (it keeps emails across runs of the tests on the same servers).
public sealed record CaughtMail(string Id, string Subject, string[] To, DateTimeOffset ReceivedDate);

// Reads what the development mail catcher (smtp4dev) received, through its REST API.
public sealed class MailCatcher(Uri api)
{
    readonly HttpClient http = new() { BaseAddress = api };

    public async Task<List<CaughtMail>> WithSubjectAsync(string text)
    {
        var page = await http.GetFromJsonAsync<MessagePage>($"/api/messages?pageSize=1000&searchTerms={Uri.EscapeDataString(text)}");
        return page!.Results.Where(m => m.Subject.Contains(text, StringComparison.Ordinal)).ToList();
    }

    public Task<string> PlainTextAsync(CaughtMail mail) => http.GetStringAsync($"/api/messages/{mail.Id}/plaintext");

    public Task<string> HtmlAsync(CaughtMail mail) => http.GetStringAsync($"/api/messages/{mail.Id}/html");

    // The whole message as the server received it: headers (priority, Reply-To) and every part.
    public Task<string> RawAsync(CaughtMail mail) => http.GetStringAsync($"/api/messages/{mail.Id}/raw");

    // How many emails each SMTP session since a moment carried, of the sessions whose conversation mentions the text (a
    // recipient's address, say).
    public async Task<List<int>> SessionsMentioningAsync(string text, DateTimeOffset since)
    {
        var page = await http.GetFromJsonAsync<SessionPage>("/api/sessions?pageSize=10000");
        var counts = new List<int>();
        foreach (var session in page!.Results.Where(s => s.StartDate >= since))
            if ((await http.GetStringAsync($"/api/sessions/{session.Id}/log")).Contains(text, StringComparison.Ordinal)) counts.Add(session.NumberOfMessages);
        return counts;
    }

    sealed record MessagePage([property: JsonPropertyName("results")] List<CaughtMail> Results);

    sealed record Session(string Id, int NumberOfMessages, DateTimeOffset StartDate);

    sealed record SessionPage([property: JsonPropertyName("results")] List<Session> Results);
}
