using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Cases.Tests;

// The case manager's side of the conversation with a reporter, and the status the reporter sees.
public sealed class ConversationTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    [Fact]
    public async Task AReporterWhoAskedForEmailHearsAMessageWaitsAndNoOneElseDoes()
    {
        var staff = await cases.SignedInAdminAsync();
        var safe = await cases.OpenCaseAsync(staff, cases.NamedReport("Shoved on the stairs.", "Ana Silva", "ana@student.test", safeToLeaveMessage: true));
        var unsafeToContact = await cases.OpenCaseAsync(staff, cases.NamedReport("Shoved on the stairs.", "Ben Cole", "ben@student.test", safeToLeaveMessage: false));
        var (ready, told) = cases.Listen<ReporterMessageReady>(_ => true);
        await ready;

        (await staff.PostAsJsonAsync($"/api/cases/{unsafeToContact.Reference}/messages", new { body = "Can we talk?" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await staff.PostAsJsonAsync($"/api/cases/{safe.Reference}/messages", new { body = "Can we talk?" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        TestMail.Sealer.Open<Recipient>((await told.WaitAsync(TimeSpan.FromSeconds(30))).SealedReporter).ShouldBe(new Recipient("ana@student.test", "Ana Silva"),
            "the first and only email is for the reporter who said it is safe");
    }

    [Fact]
    public async Task TheReportersMessageShowsOnTheCaseAndTheReplyGoesBackWithANewStatus()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = cases.Report("Someone keeps leaving notes on my desk.");
        await cases.PublishAsync(report);
        var sealer = cases.Services.GetRequiredService<Sealer>();
        var sent = cases.Listen<CaseManagerWrote>(m => m.ReportId == report.ReportId);
        var status = cases.Listen<CaseStatusChanged>(m => m.ReportId == report.ReportId);
        await Task.WhenAll(sent.Ready, status.Ready);
        await Eventually.GetAsync(() => admin.GetAsync($"/api/cases/{report.Reference}"), r => r.IsSuccessStatusCode, "the case to open");

        var posted = new ReporterWrote(Guid.NewGuid(), report.ReportId, report.Reference, sealer.Seal("There was another note today."), DateTimeOffset.UtcNow);
        await cases.PublishAsync(posted);
        await cases.PublishAsync(posted);
        var page = await Eventually.GetAsync(() => admin.GetStringAsync($"/cases/{report.Reference}"),
            p => p.Contains("There was another note today."), "the reporter's message on the case");
        var reply = HtmlForm.Read(page, "form:has(textarea[name=body])");
        reply["body"] = "Thank you. Would you like to meet this week?";
        (await admin.PostAsync($"/cases/{report.Reference}?handler=Reply", reply.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var message = await sent.Message.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        sealer.Open<string>(message.SealedBody).ShouldBe("Thank you. Would you like to meet this week?");
        (await status.Message.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken)).Status.ShouldBe("with-case-manager");
        var view = await admin.GetFromJsonAsync<JsonElement>($"/api/cases/{report.Reference}");
        view.GetProperty("messages").GetArrayLength().ShouldBe(2, "the reporter's message, kept once however often it came, and the reply");
        view.GetProperty("summary").GetProperty("status").GetString().ShouldBe("with-case-manager");
    }

    [Fact]
    public async Task AnEmptyReplyIsRefusedBesideTheFieldAndNothingIsSent()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = cases.Report("Shouted at on the stairs.");
        await cases.PublishAsync(report);
        var page = await Eventually.GetAsync(async () => (await admin.GetAsync($"/cases/{report.Reference}")),
            r => r.IsSuccessStatusCode, "the case to open");
        var reply = HtmlForm.Read(await page.Content.ReadAsStringAsync(), "form:has(textarea[name=body])");
        reply["body"] = "   ";

        var response = await admin.PostAsync($"/cases/{report.Reference}?handler=Reply", reply.ToContent());

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("""<p class="error-message" id="body-error">Write the message to the reporter.</p>""");
        (await admin.GetFromJsonAsync<JsonElement>($"/api/cases/{report.Reference}")).GetProperty("messages").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task ChangingTheStatusTellsTheReportersSide()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = cases.Report("Graffiti about my religion on my door.");
        await cases.PublishAsync(report);
        await Eventually.GetAsync(() => admin.GetAsync($"/api/cases/{report.Reference}"), r => r.IsSuccessStatusCode, "the case to open");
        var status = cases.Listen<CaseStatusChanged>(m => m.ReportId == report.ReportId);
        await status.Ready;

        var response = await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/status", new { status = "action-taken", reason = "Security have moved the poster and checked the cameras." });

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await status.Message.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken)).Status.ShouldBe("action-taken");
        (await admin.PostAsJsonAsync($"/api/cases/{report.Reference}/status", new { status = "solved" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AFileFromTheReporterIsListedOnTheCaseAndEveryOpeningIsRecorded()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = cases.Report("Photo of the poster in the lift.");
        await cases.PublishAsync(report);
        var sealer = cases.Services.GetRequiredService<Sealer>();
        var content = SampleFiles.PngWithAuthor();
        var evidenceId = Guid.NewGuid();
        var evidence = new EvidenceSubmitted(evidenceId, report.ReportId, report.Reference, "evidence-1.png", "image/png", content.Length,
            Convert.ToBase64String(sealer.SealBytes(content)), DateTimeOffset.UtcNow);

        await cases.PublishAsync(evidence);
        await cases.PublishAsync(evidence);

        var page = await Eventually.GetAsync(() => admin.GetStringAsync($"/cases/{report.Reference}"),
            p => p.Contains("evidence-1.png"), "the file on the case", seconds: 90);
        page.ShouldContain($"href=\"/api/cases/{report.Reference}/evidence/{evidenceId}\"");
        var download = await admin.GetAsync($"/api/cases/{report.Reference}/evidence/{evidenceId}");
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        download.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        // Shown anyway (an HTML or SVG file), it would run in a sandbox with nothing allowed, never as a page of ours.
        download.Headers.GetValues("Content-Security-Policy").Single().Split(';', StringSplitOptions.TrimEntries).ShouldContain("sandbox");
        download.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(content);
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        (await db.Evidence.CountAsync(e => e.Id == evidenceId)).ShouldBe(1);
        (await db.AuditLog.CountAsync(a => a.Action == "evidence.viewed" && a.Detail == "evidence-1.png")).ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task AMessageAndAFileThatArriveBeforeTheirReportAreKeptAndShowOnceItsCaseOpens()
    {
        var admin = await cases.SignedInAdminAsync();
        var report = cases.Report("Followed home from the station.");
        var sealer = cases.Services.GetRequiredService<Sealer>();
        var message = new ReporterWrote(Guid.NewGuid(), report.ReportId, report.Reference, sealer.Seal("He was at the station again."), DateTimeOffset.UtcNow);
        var content = SampleFiles.JpegWithLocation();
        var file = new EvidenceSubmitted(Guid.NewGuid(), report.ReportId, report.Reference, "evidence-1.jpg", "image/jpeg", content.Length,
            Convert.ToBase64String(sealer.SealBytes(content)), DateTimeOffset.UtcNow);
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();

        // After an outage the queues drain in any order: the additions come first, the report after them.
        await cases.PublishAsync(message);
        await cases.PublishAsync(file);
        await Eventually.GetAsync(async () => await db.Messages.AnyAsync(m => m.Id == message.MessageId) && await db.Evidence.AnyAsync(e => e.Id == file.EvidenceId),
            kept => kept, "the message and the file to be kept before their case exists");
        (await db.Cases.AnyAsync(c => c.ReportId == report.ReportId)).ShouldBeFalse();
        await cases.PublishAsync(report);

        var page = await Eventually.GetAsync(() => admin.GetStringAsync($"/cases/{report.Reference}"),
            p => p.Contains("He was at the station again.") && p.Contains("evidence-1.jpg"), "the case with its early message and file");
        (await admin.GetFromJsonAsync<JsonElement>($"/api/cases/{report.Reference}")).GetProperty("messages").GetArrayLength().ShouldBe(1);
        (await db.AuditLog.CountAsync(a => a.Action == "message.received" && a.Detail!.StartsWith(report.Reference))).ShouldBe(1);
        (await db.AuditLog.SingleAsync(a => a.Action == "case.opened" && a.Detail!.StartsWith(report.Reference))).Detail
            .ShouldBe($"{report.Reference}; 1 message and 1 file had arrived before it");
    }
}
