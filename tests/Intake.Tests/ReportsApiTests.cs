using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbour.Contracts;
using Harbour.Intake.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Intake.Tests;

public sealed class ReportsApiTests(IntakeFactory intake) : IClassFixture<IntakeFactory>
{
    [Fact]
    public async Task AnonymousReportIsAcknowledgedWithAReferenceAndAReceipt()
    {
        var response = await intake.CreateClient().PostAsJsonAsync("/api/reports", ValidReports.Anonymous());

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("reference").GetString()!.ShouldMatch(@"^HR-\d{4}-\d{6}$");
        var receipt = body.GetProperty("receipt").GetString()!;
        receipt.ShouldMatch("^([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{2}$");
    }

    [Fact]
    public async Task ANamedReportAlsoGetsAReceiptToFollowItOnline()
    {
        var response = await intake.CreateClient().PostAsJsonAsync("/api/reports", ValidReports.Named());

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("receipt").GetString()!.ShouldMatch("^([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{2}$");
    }

    [Fact]
    public async Task ReportIsStoredSealedWithItsEventInTheOutbox()
    {
        const string secret = "The lecturer in room 4.12 said something I cannot repeat";
        var response = await intake.CreateClient().PostAsJsonAsync("/api/reports", ValidReports.Anonymous(secret));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var reference = body.GetProperty("reference").GetString();

        await using var scope = intake.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
        var report = await db.Reports.SingleAsync(r => r.Reference == reference);
        report.SealedDetails.ShouldNotContain("lecturer");
        Receipt.Matches(body.GetProperty("receipt").GetString()!, report.ReceiptHash!).ShouldBeTrue();
        Receipt.Matches("0000-0000-0000-0000-0000-0000-00", report.ReceiptHash!).ShouldBeFalse();

        var outbox = (await db.Outbox.ToListAsync()).Single(m => m.Payload.Contains(reference!));
        outbox.Type.ShouldBe(typeof(ReportSubmitted).FullName);
        outbox.Payload.ShouldNotContain("lecturer");
    }

    [Fact]
    public async Task AReportSentAgainWithItsSubmissionIdIsKeptOnce()
    {
        var report = ValidReports.Anonymous("Sent twice because the train went into a tunnel.");
        report["submissionId"] = Guid.NewGuid().ToString();
        var client = intake.CreateClient();

        var first = await client.PostAsJsonAsync("/api/reports", report);
        var second = await client.PostAsJsonAsync("/api/reports", report);

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        second.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var reference = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString();
        var problem = await second.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("reference").GetString().ShouldBe(reference);
        problem.TryGetProperty("receipt", out _).ShouldBeFalse();
        await using var scope = intake.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
        (await db.Reports.CountAsync(r => r.SubmissionId == Guid.Parse((string)report["submissionId"]!))).ShouldBe(1);
        (await db.Outbox.ToListAsync()).Count(m => m.Payload.Contains(reference!)).ShouldBe(1);
    }

    [Fact]
    public async Task ASubmissionIdUsedAgainForAnotherReportKeepsNothingAndSaysSo()
    {
        var id = Guid.NewGuid().ToString();
        var first = ValidReports.Anonymous("The first report, from an app that reuses its ids.");
        first["submissionId"] = id;
        var other = ValidReports.Anonymous("A different report, sent with the same id.");
        other["submissionId"] = id;
        var client = intake.CreateClient();
        var kept = await client.PostAsJsonAsync("/api/reports", first);
        var reference = (await kept.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString();

        var refused = await client.PostAsJsonAsync("/api/reports", other);

        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("title").GetString().ShouldBe("This report was not sent.");
        problem.TryGetProperty("reference", out _).ShouldBeFalse("the earlier report may be someone else's");
        (await refused.Content.ReadAsStringAsync()).ShouldNotContain(reference!);
        (await client.PostAsJsonAsync("/api/reports", first)).StatusCode.ShouldBe(HttpStatusCode.Conflict, "the first, sent again, is still the same report");
        await using var scope = intake.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
        (await db.Reports.CountAsync(r => r.SubmissionId == Guid.Parse(id))).ShouldBe(1);
    }

    [Fact]
    public async Task TheSameReportSentTwiceAtOnceIsKeptOnce()
    {
        var report = ValidReports.Anonymous("Two taps on a slow connection.");
        report["submissionId"] = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => intake.CreateClient().PostAsJsonAsync("/api/reports", report)));

        answers.Count(a => a.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.Conflict).ShouldBe(3);
    }

    [Fact]
    public async Task EmptyReportIsRefusedNamingEveryMissingField()
    {
        var response = await intake.CreateClient().PostAsJsonAsync("/api/reports", new { });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "kind", "categories", "description", "location", "occurredOn", "reporterRole" })
            errors.TryGetProperty(field, out _).ShouldBeTrue($"no error for {field}");
    }

    [Fact]
    public async Task LineBreaksCountAsOneCharacterAsTheBrowserCountsThem()
    {
        // 200 lines of 99 characters: 19,999 with line breaks counted once (the form's maxlength lets it through), 20,198 as CRLF.
        var accepted = await intake.CreateClient().PostAsJsonAsync("/api/reports", ValidReports.Anonymous(string.Join("\r\n", Enumerable.Repeat(new string('d', 99), 200))));
        accepted.StatusCode.ShouldBe(HttpStatusCode.Created);
        var refused = await intake.CreateClient().PostAsJsonAsync("/api/reports", ValidReports.Anonymous(new string('d', 20_001)));
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("kind", "sometimes", "kind")]
    [InlineData("categories", new[] { "not-a-category" }, "categories")]
    [InlineData("location", "the moon", "location")]
    [InlineData("occurredOn", "2999-01-01", "occurredOn")]
    [InlineData("occurredOn", "yesterday-ish", "occurredOn")]
    [InlineData("reporterRole", "alien", "reporterRole")]
    [InlineData("contactName", "Anonymous Me", "contactName")]
    [InlineData("relation", "my cousin", "relation")]
    [InlineData("peopleInvolved", new[] { "a ghost" }, "peopleInvolved")]
    [InlineData("howMany", "dozens", "howMany")]
    [InlineData("occurredOn", "1990-01-01", "occurredOn")]
    [InlineData("description", "", "description")]
    [InlineData("categories", null, "categories")]
    [InlineData("submissionId", "again", "submissionId")]
    [InlineData("submissionId", "00000000-0000-0000-0000-000000000000", "submissionId")]
    public async Task WrongValueIsRefusedNamingItsField(string field, object? value, string expected)
    {
        var report = ValidReports.Anonymous();
        report[field] = value;

        var response = await intake.CreateClient().PostAsJsonAsync("/api/reports", report);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).ShouldBe([expected]);
    }

    [Theory]
    [InlineData("named")]
    [InlineData("meeting")]
    public async Task ReportThatAsksForContactNeedsContactDetails(string kind)
    {
        var report = ValidReports.Anonymous();
        report["kind"] = kind;
        report["contactEmail"] = "not an email";

        var response = await intake.CreateClient().PostAsJsonAsync("/api/reports", report);

        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.GetProperty("contactName").ToString().ShouldContain("name");
        errors.GetProperty("contactEmail").ToString().ShouldContain("email address");
    }

    [Theory]
    [InlineData("description", 20_001)]
    [InlineData("occurredWhen", 201)]
    [InlineData("contactName", 201)]
    [InlineData("contactTimes", 201)]
    public async Task OverlongTextIsRefusedNamingItsField(string field, int length)
    {
        var report = ValidReports.Named();
        report[field] = new string('a', length);

        var response = await intake.CreateClient().PostAsJsonAsync("/api/reports", report);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).ShouldBe([field]);
    }

    [Theory]
    [InlineData("consentToContact", null, "consentToContact")]
    [InlineData("contactPhone", "call me maybe", "contactPhone")]
    [InlineData("contactEmail", null, "contactEmail")]
    [InlineData("preferredContact", "pigeon", "preferredContact")]
    [InlineData("preferredContact", "phone", "contactPhone")]
    [InlineData("safeToLeaveMessage", "maybe", "safeToLeaveMessage")]
    public async Task ANamedReportsContactPreferencesAreChecked(string field, string? value, string expected)
    {
        var report = ValidReports.Named();
        report[field] = value;

        var response = await intake.CreateClient().PostAsJsonAsync("/api/reports", report);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).ShouldBe([expected]);
    }

    [Fact]
    public async Task AMeetingRequestSaysHowToMeet()
    {
        var report = ValidReports.Named();
        report["kind"] = "meeting";

        var refused = await intake.CreateClient().PostAsJsonAsync("/api/reports", report);
        report["meetingFormat"] = "online";
        report["meetingTimes"] = "Tuesday afternoons";
        var accepted = await intake.CreateClient().PostAsJsonAsync("/api/reports", report);
        report["meetingTimes"] = new string('a', 201);
        var overlong = await intake.CreateClient().PostAsJsonAsync("/api/reports", report);

        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["meetingFormat"]);
        accepted.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await overlong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["meetingTimes"]);
    }

    [Theory]
    [InlineData("{\"kind\": 5}", "kind")]
    [InlineData("{not json", "body")]
    public async Task MalformedBodyGetsProblemDetails(string json, string field)
    {
        var response = await intake.CreateClient().PostAsync("/api/reports",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).ShouldBe([field]);
    }
}

public sealed class OpenApiTests(IntakeFactory intake) : IClassFixture<IntakeFactory>
{
    [Fact]
    public async Task TheReportApiIsDescribedWithOpenApi()
    {
        var document = await intake.CreateClient().GetFromJsonAsync<JsonElement>("/api/reports/openapi/v1.json");

        var paths = document.GetProperty("paths");
        paths.GetProperty("/api/reports").GetProperty("post").GetProperty("requestBody").ToString().ShouldContain("ReportRequest");
        paths.GetProperty("/api/reports/{reference}").GetProperty("get").GetProperty("parameters").ToString().ShouldContain("Receipt");
        paths.GetProperty("/api/reports/{reference}/messages").GetProperty("post").GetProperty("responses").ToString().ShouldContain("429");

        // Only what an app sends is a field to send, each described; the servers are the public address, never an internal one.
        var fields = document.GetProperty("components").GetProperty("schemas").GetProperty("ReportRequest").GetProperty("properties");
        var names = fields.EnumerateObject().Select(f => f.Name).ToList();
        names.ShouldNotContain("isAnonymous");
        names.ShouldNotContain("submissionGuid");
        names.ShouldNotContain("hasContact");
        names.ShouldNotContain("occurredDate");
        names.ShouldContain("submissionId");
        fields.EnumerateObject().Where(f => !f.Value.TryGetProperty("description", out _)).Select(f => f.Name).ShouldBeEmpty("every field is described");
        fields.GetProperty("occurredOn").GetProperty("description").GetString()!.ShouldContain("yyyy-MM-dd");
        var servers = document.TryGetProperty("servers", out var listed) ? listed.EnumerateArray().Select(s => s.GetProperty("url").GetString()).ToList() : [];
        servers.ShouldAllBe(url => url == intake.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Harbour:PublicUrl"]);
    }
}
