using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbour.Contracts;
using Harbour.Intake.FollowUp;
using Harbour.ServiceDefaults.Security;
using MassTransit;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Intake.Tests;

// A reporter comes back with reference and receipt, reads where the report stands and talks with the case manager.
public sealed class FollowUpTests(IntakeFactory intake) : IClassFixture<IntakeFactory>
{
    [Fact]
    public async Task AReporterSeesTheStatusAndTheCaseManagersMessageWithReferenceAndReceipt()
    {
        var (reportId, reference, receipt) = await intake.SubmitAsync();
        var bus = intake.Services.GetRequiredService<IBus>();
        var sealer = intake.Services.GetRequiredService<Sealer>();

        await bus.Publish(new CaseStatusChanged(reportId, reference, "with-case-manager", DateTimeOffset.UtcNow));
        await bus.Publish(new CaseManagerWrote(Guid.NewGuid(), reportId, reference, sealer.Seal("Thank you for telling us. Can we talk?"), DateTimeOffset.UtcNow));

        var view = await Eventually.GetAsync(() => intake.FollowUpAsync(reference, receipt),
            v => v.GetProperty("messages").GetArrayLength() == 1 && v.GetProperty("status").GetString() == "with-case-manager", "the message and status");
        view.GetProperty("messages")[0].GetProperty("body").GetString().ShouldBe("Thank you for telling us. Can we talk?");
        view.GetProperty("messages")[0].GetProperty("from").GetString().ShouldBe("case-manager");
    }

    [Fact]
    public async Task WhatTheCaseTeamRedactedIsGoneFromIntakeEvenWhenTheMessageArrivesAfterItsRedaction()
    {
        var (reportId, reference, receipt) = await intake.SubmitAsync();
        var sealer = intake.Services.GetRequiredService<Sealer>();
        var (early, late) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var at = DateTimeOffset.UtcNow;
        await intake.PublishAsync(new CaseManagerWrote(early, reportId, reference, sealer.Seal("EARLY-MARKER-2231 sent in error"), at));
        await Eventually.GetAsync(() => intake.FollowUpAsync(reference, receipt), v => v.GetProperty("messages").GetArrayLength() == 1, "the first message");

        await intake.PublishAsync(new CaseContentRedacted(Guid.CreateVersion7(), reportId, reference, null, early, MessageSenders.CaseManager, at, at.AddMinutes(1)));
        await intake.PublishAsync(new CaseContentRedacted(Guid.CreateVersion7(), reportId, reference, null, late, MessageSenders.CaseManager, at.AddSeconds(5), at.AddMinutes(1)));
        await intake.PublishAsync(new CaseContentRedacted(Guid.CreateVersion7(), reportId, reference, RedactableFields.Description, null, null, null, at.AddMinutes(1)));
        var view = await Eventually.GetAsync(() => intake.FollowUpAsync(reference, receipt),
            v => v.GetProperty("messages").GetArrayLength() == 2 && v.GetProperty("messages").EnumerateArray().All(m => m.GetProperty("body").GetString() == ""),
            "both messages removed");
        await intake.PublishAsync(new CaseManagerWrote(late, reportId, reference, sealer.Seal("LATE-MARKER-8812 arriving after its redaction"), at.AddSeconds(5)));
        await intake.PublishAsync(new CaseManagerWrote(Guid.CreateVersion7(), reportId, reference, sealer.Seal("Still here."), at.AddSeconds(10)));
        view = await Eventually.GetAsync(() => intake.FollowUpAsync(reference, receipt), v => v.GetProperty("messages").GetArrayLength() == 3,
            "the message sent after the late one, so the late one has been handled");
        view.GetProperty("messages").EnumerateArray().Take(2)
            .ShouldAllBe(m => m.GetProperty("body").GetString() == "" && m.GetProperty("removedAt").ValueKind == JsonValueKind.String);
        view.GetProperty("messages")[2].GetProperty("body").GetString().ShouldBe("Still here.");

        var (client, _) = await OpenedAsync(reference, receipt);
        var page = await client.GetStringAsync("/follow-up");
        page.ShouldContain("Removed by the case team on");
        page.ShouldNotContain("EARLY-MARKER-2231");
        page.ShouldNotContain("LATE-MARKER-8812");
        await using var scope = intake.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
        var report = await db.Reports.AsNoTracking().SingleAsync(r => r.Id == reportId);
        sealer.Open<ReportDetails>(report.SealedDetails).Description.ShouldBe("");
    }

    [Fact]
    public async Task TheServicesTheCaseManagerSuggestedAreOnTheFollowUpPageOnce()
    {
        var (reportId, reference, receipt) = await intake.SubmitAsync();
        var suggested = new SupportSuggested(Guid.CreateVersion7(), reportId, "counselling", ReferralKinds.Signpost, new DateOnly(2026, 12, 1), DateTimeOffset.UtcNow);

        await intake.PublishAsync(suggested);
        await intake.PublishAsync(suggested);

        var view = await Eventually.GetAsync(() => intake.FollowUpAsync(reference, receipt), v => v.GetProperty("suggested").GetArrayLength() > 0,
            "the suggestion");
        view.GetProperty("suggested").EnumerateArray().Select(s => s.GetString()).ShouldBe(["counselling"]);
        var (client, _) = await OpenedAsync(reference, receipt);
        var page = await client.GetStringAsync("/follow-up");
        page.ShouldContain("Support your case manager suggested");
        page.ShouldContain("Counselling and Wellbeing");
    }

    [Fact]
    public async Task AMeetingIsOnTheFollowUpPageAsItLastStoodEvenWhenAnOlderVersionArrivesLate()
    {
        var (reportId, reference, receipt) = await intake.SubmitAsync();
        var id = Guid.CreateVersion7();
        MeetingDetails At(int hour) => new(new DateTimeOffset(2026, 12, 8, hour, 0, 0, TimeSpan.Zero), 45, "in-person", "Student Centre, room 2",
            new Recipient("casey@harbour.test", "Casey Manager"), TestMail.Sealer.Seal(new Recipient("kofi@student.test", "Kofi")), "University of Northgate");

        await intake.PublishAsync(new MeetingScheduled(id, reportId, reference, 1, At(15)));
        await Eventually.GetAsync(() => intake.FollowUpAsync(reference, receipt), v => v.GetProperty("meetings").GetArrayLength() == 1, "the meeting");
        await intake.PublishAsync(new MeetingScheduled(id, reportId, reference, 0, At(9)));
        await Task.Delay(TimeSpan.FromSeconds(1));

        var (client, _) = await OpenedAsync(reference, receipt);
        var page = await client.GetStringAsync("/follow-up");
        page.ShouldContain("Tuesday 8 December 2026 at 15:00 (UK time), 45 minutes,");
        page.ShouldNotContain("at 09:00");
        page.ShouldNotContain("kofi@student.test");

        await intake.PublishAsync(new MeetingCancelled(id, reportId, reference, 2, At(15)));
        var view = await Eventually.GetAsync(() => intake.FollowUpAsync(reference, receipt),
            v => v.GetProperty("meetings")[0].GetProperty("cancelled").GetBoolean(), "the cancellation");
        view.GetProperty("meetings").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task AWrongReceiptAndAnUnknownReferenceGetTheSameRefusal()
    {
        var (_, reference, _) = await intake.SubmitAsync();
        var client = intake.CreateClient();

        var wrongReceipt = await intake.FollowUpResponseAsync(reference, "0000-0000-0000-0000-0000-0000-00");
        var unknownReference = await intake.FollowUpResponseAsync("HR-2026-999999", "0000-0000-0000-0000-0000-0000-00");

        wrongReceipt.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        unknownReference.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Detail(wrongReceipt)).ShouldBe(FollowUpPageModel.Refused);
        (await Detail(unknownReference)).ShouldBe(FollowUpPageModel.Refused);

        var form = HtmlForm.Read(await client.GetStringAsync("/follow-up"));
        form["reference"] = reference;
        form["receipt"] = "WRONG-RECEIPT";
        var page = await client.PostAsync("/follow-up?handler=Open", form.ToContent());
        page.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain(FollowUpPageModel.Refused);
        html.ShouldNotContain("WRONG-RECEIPT");
    }

    [Fact]
    public async Task AReportWhoseCaseReachedTheEndOfItsRetentionIsGoneAndItsReceiptOpensNothing()
    {
        var (reportId, reference, receipt) = await intake.SubmitAsync();
        (await intake.FollowUpResponseAsync(reference, receipt)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var scope = intake.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
        await Eventually.GetAsync(() => db.Outbox.CountAsync(m => m.SentAt == null), unsent => unsent == 0, "the report's event to be sent");

        var deleted = new CaseDeleted(reportId, reference, "anonymous reports: 12 months from submission", DateTimeOffset.UtcNow);
        await intake.PublishAsync(deleted);
        await intake.PublishAsync(deleted);

        var refused = await Eventually.GetAsync(() => intake.FollowUpResponseAsync(reference, receipt),
            r => r.StatusCode == HttpStatusCode.NotFound, "the report to be deleted");
        (await Detail(refused)).ShouldBe(FollowUpPageModel.Refused, "the same refusal as a wrong receipt");
        (await db.Reports.AnyAsync(r => r.Id == reportId)).ShouldBeFalse();
        var kept = await db.Database.SqlQuery<string>($"SELECT payload::text AS \"Value\" FROM outbox_messages WHERE sent_at IS NOT NULL").ToListAsync();
        kept.ShouldNotContain(p => p.Contains(reportId.ToString()), "the sealed report the outbox kept after sending it is emptied");
    }

    [Fact]
    public async Task AMessageFromTheFollowUpPageGoesToCasesSealed()
    {
        var (reportId, reference, receipt) = await intake.SubmitAsync();
        var posted = new TaskCompletionSource<ReporterWrote>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listener = intake.Services.GetRequiredService<IBus>().ConnectReceiveEndpoint(TestServers.UniqueName("posted"), endpoint =>
            endpoint.Handler<ReporterWrote>(context =>
            {
                if (context.Message.ReportId == reportId) posted.TrySetResult(context.Message);
                return Task.CompletedTask;
            }));
        await listener.Ready;

        // As people type them: lower case, spaces for dashes.
        var (client, _) = await OpenedAsync(reference.ToLowerInvariant(), receipt.Replace("-", " "));
        var page = await client.GetStringAsync("/follow-up");
        page.ShouldContain($"Report {reference}");
        var write = HtmlForm.Read(page, "form[method=post]:has(textarea)");
        write["body"] = "He was there again today.";
        (await client.PostAsync("/follow-up?handler=Message", write.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var message = await posted.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        message.SealedBody.ShouldNotContain("again today");
        intake.Services.GetRequiredService<Sealer>().Open<string>(message.SealedBody).ShouldBe("He was there again today.");
        (await client.GetStringAsync("/follow-up")).ShouldContain("He was there again today.");
    }

    [Fact]
    public async Task APhotoSentLaterWithAMessageLosesItsMetadataAndGoesToTheCaseSealed()
    {
        var (reportId, reference, receipt) = await intake.SubmitAsync();
        var (client, _) = await OpenedAsync(reference, receipt);
        var write = HtmlForm.Read(await client.GetStringAsync("/follow-up"), "form[method=post]:has(textarea)");
        write["body"] = "I found a screenshot of the post.";

        var wrong = await client.PostAsync("/follow-up?handler=Message", write.ToMultipart("evidence", "post.docx", "PK\u0003\u0004 not a photo"u8.ToArray()));
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var refused = await wrong.Content.ReadAsStringAsync();
        refused.ShouldContain("&quot;post.docx&quot;: attach a photo (JPEG or PNG) or a PDF.");
        refused.ShouldContain("I found a screenshot of the post.</textarea>");

        var sent = await client.PostAsync("/follow-up?handler=Message", write.ToMultipart("evidence", "Screenshot Sam.png", SampleFiles.PngWithAuthor()));
        sent.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await client.GetStringAsync("/follow-up")).ShouldContain("Files you have sent: evidence-1.png.");
        await using var scope = intake.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
        var evidence = await db.Evidence.SingleAsync(e => e.ReportId == reportId);
        evidence.FileName.ShouldBe("evidence-1.png");
        var opened = intake.Services.GetRequiredService<Sealer>().OpenBytes(evidence.SealedContent);
        System.Text.Encoding.ASCII.GetString(opened).ShouldNotContain(SampleFiles.Secret);
        (await db.Outbox.Where(m => m.Type == typeof(EvidenceSubmitted).FullName).ToListAsync()).ShouldContain(m => m.Payload.Contains(reference));
    }

    [Fact]
    public async Task AfterAQuickExitTheOpeningFormSentAgainFromTheHistoryOpensNothing()
    {
        var (_, reference, receipt) = await intake.SubmitAsync();
        var (client, open) = await OpenedAsync(reference, receipt);

        (await client.GetAsync("/follow-up/exit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var again = await client.PostAsync("/follow-up?handler=Open", open.ToContent());

        again.Headers.Location!.OriginalString.ShouldBe("/follow-up?expired");
        (await client.GetStringAsync("/follow-up")).ShouldNotContain($"Report {reference}");
    }

    [Theory]
    [InlineData("close")]
    [InlineData("quick exit")]
    public async Task ACopiedFollowUpCookieOpensNothingOnceTheReporterHasLeft(string how)
    {
        var (_, reference, receipt) = await intake.SubmitAsync();
        var (client, _) = await OpenedAsync(reference, receipt);
        var page = await client.GetStringAsync("/follow-up");
        page.ShouldContain($"Report {reference}");
        var copied = intake.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var cookie = (await client.GetAsync("/follow-up")).RequestMessage!.Headers.GetValues("Cookie").Single();
        (await Copied(copied, cookie)).ShouldContain($"Report {reference}", customMessage: "the copy opens the report while the session is open");

        if (how == "close")
        {
            var leave = HtmlForm.Read(page, "form[action*=Leave]");
            (await client.PostAsync("/follow-up?handler=Leave", leave.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }
        else (await client.GetAsync("/follow-up/exit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var after = await Copied(copied, cookie);
        after.ShouldNotContain($"Report {reference}");
        after.ShouldContain("name=\"receipt\"", customMessage: "the opening form, as for anyone without a session");
        await using var scope = intake.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
        (await db.FollowUpSessions.CountAsync(s => s.ReportId == db.Reports.Single(r => r.Reference == reference).Id)).ShouldBe(0);
    }

    static async Task<string> Copied(HttpClient client, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/follow-up") { Headers = { { "Cookie", cookie } } };
        return await (await client.SendAsync(request)).Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task AMessageWithFilesSentAfterTheSessionEndedIsKeptAndNamesTheFilesToChooseAgain()
    {
        var (_, reference, receipt) = await intake.SubmitAsync();
        var (client, _) = await OpenedAsync(reference, receipt);
        var write = HtmlForm.Read(await client.GetStringAsync("/follow-up"), "form[method=post]:has(textarea)");
        write["body"] = "Here is the photo I mentioned.";
        await using (var scope = intake.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
            await db.FollowUpSessions.Where(s => s.ReportId == db.Reports.Single(r => r.Reference == reference).Id)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }

        var response = await client.PostAsync("/follow-up?handler=Message", write.ToMultipart("evidence", "IMG_2041.png", SampleFiles.PngWithAuthor()));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("The files you chose were not kept (&quot;IMG_2041.png&quot;): choose them again after you open your report.");
        html.ShouldContain("Here is the photo I mentioned.");
        (await intake.FollowUpAsync(reference, receipt)).GetProperty("messages").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task AFileSentWithAMessageThatIsRefusedIsNamedToChooseAgain()
    {
        var (_, reference, receipt) = await intake.SubmitAsync();
        var (client, _) = await OpenedAsync(reference, receipt);
        var write = HtmlForm.Read(await client.GetStringAsync("/follow-up"), "form[method=post]:has(textarea)");
        write["body"] = "   ";

        var response = await client.PostAsync("/follow-up?handler=Message", write.ToMultipart("evidence", "corridor.png", SampleFiles.PngWithAuthor()));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Write your message. The files you chose were not kept (&quot;corridor.png&quot;): choose them again.");
    }

    [Fact]
    public async Task AMessageWithAFileFarTooLargeNamesTheFileAndKeepsTheMessage()
    {
        var (_, reference, receipt) = await intake.SubmitAsync();
        var (client, _) = await OpenedAsync(reference, receipt);
        var write = HtmlForm.Read(await client.GetStringAsync("/follow-up"), "form[method=post]:has(textarea)");
        write["body"] = "The video from the corridor.";

        var response = await client.PostAsync("/follow-up?handler=Message", write.ToMultipart("evidence", "VID_0002.mp4", new byte[31 * 1024 * 1024]));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("&quot;VID_0002.mp4&quot; is larger than 5 MB.");
        html.ShouldContain("The video from the corridor.</textarea>");
    }

    [Fact]
    public async Task AMessageFromAPageOpenTooLongIsKeptToSendAgainAndNotSent()
    {
        var (_, reference, receipt) = await intake.SubmitAsync();
        var (client, _) = await OpenedAsync(reference, receipt);
        var write = HtmlForm.Read(await client.GetStringAsync("/follow-up"), "form[method=post]:has(textarea)");
        write["body"] = "Written before lunch, sent after.";
        write["__RequestVerificationToken"] = "a token from before the keys changed";

        var response = await client.PostAsync("/follow-up?handler=Message", write.ToContent());

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("so your message was not sent yet");
        html.ShouldContain("Written before lunch, sent after.</textarea>");
        (await intake.FollowUpAsync(reference, receipt)).GetProperty("messages").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task TheSameMessageFormPostedTwiceIsKeptOnceAndALongMessageCountsLineBreaksAsTheBrowserDoes()
    {
        var (_, reference, receipt) = await intake.SubmitAsync();
        var (client, _) = await OpenedAsync(reference, receipt);
        var write = HtmlForm.Read(await client.GetStringAsync("/follow-up"), "form[method=post]:has(textarea)");
        // 50 lines of 99 characters: 5,000 as the browser counts them (a line break is one), 5,049 as a form sends them (CRLF).
        write["body"] = string.Join("\r\n", Enumerable.Repeat(new string('w', 99), 50));
        for (var send = 0; send < 3; send++)
            (await client.PostAsync("/follow-up?handler=Message", write.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await intake.FollowUpAsync(reference, receipt)).GetProperty("messages").GetArrayLength().ShouldBe(1, "a reload or a retry keeps one message");
    }

    [Fact]
    public async Task AMessageIdAlreadyUsedOnAnotherReportIsAConflictAndKeepsNothing()
    {
        var (_, first, firstReceipt) = await intake.SubmitAsync();
        var (_, second, secondReceipt) = await intake.SubmitAsync();
        var id = Guid.NewGuid();
        async Task<HttpResponseMessage> PostAsync(string reference, string receipt, object body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/reports/{reference}/messages") { Content = JsonContent.Create(body) };
            request.Headers.Add("Receipt", receipt);
            return await intake.CreateClient().SendAsync(request);
        }

        (await PostAsync(first, firstReceipt, new { body = "First report's message.", id })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var clashes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostAsync(second, secondReceipt, new { body = "Second report's message.", id })));
        clashes.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Conflict);
        (await clashes[0].Content.ReadAsStringAsync()).ShouldContain("this message was NOT sent");
        (await PostAsync(second, secondReceipt, new { body = "Nil.", id = Guid.Empty })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var together = Guid.NewGuid();
        (await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostAsync(second, secondReceipt, new { body = "Sent four times at once.", id = together }))))
            .ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created);
        (await intake.FollowUpAsync(second, secondReceipt)).GetProperty("messages").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task AnAppThatRetriesAMessageWithItsIdSendsItOnce()
    {
        var (_, reference, receipt) = await intake.SubmitAsync();
        var id = Guid.NewGuid();

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/reports/{reference}/messages") { Content = JsonContent.Create(new { body = "Are you still there?", id }) };
            request.Headers.Add("Receipt", receipt);
            (await intake.CreateClient().SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        (await intake.FollowUpAsync(reference, receipt)).GetProperty("messages").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task AnOlderStatusChangeArrivingLateDoesNotOverwriteANewerOne()
    {
        var (reportId, reference, receipt) = await intake.SubmitAsync();
        var bus = intake.Services.GetRequiredService<IBus>();
        var changes = new ConsumeCounter<CaseStatusChanged>();
        using var observer = bus.ConnectConsumeObserver(changes);
        var now = DateTimeOffset.UtcNow;

        await bus.Publish(new CaseStatusChanged(reportId, reference, "closed", now));
        await bus.Publish(new CaseStatusChanged(reportId, reference, "with-case-manager", now.AddMinutes(-5)));
        await changes.WaitForAsync(2, "both changes to be consumed");

        (await intake.FollowUpAsync(reference, receipt)).GetProperty("status").GetString().ShouldBe("closed");
    }

    [Fact]
    public async Task ReportAndFollowUpPagesAreNeverStoredByTheBrowser()
    {
        var client = intake.CreateClient();

        foreach (var path in new[] { "/", "/report", "/follow-up" })
        {
            var response = await client.GetAsync(path);
            response.Headers.CacheControl!.NoStore.ShouldBeTrue(path);
            response.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
        }
        (await client.GetStringAsync("/follow-up")).ShouldContain("""id="receipt" name="receipt" autocomplete="off""");
    }

    // A browser that has opened the report on the follow-up page: its cookies, and the opening form it sent.
    Task<(HttpClient Client, HtmlForm Open)> OpenedAsync(string reference, string receipt) => OpenedAsync(intake, reference, receipt);

    internal static async Task<(HttpClient Client, HtmlForm Open)> OpenedAsync(IntakeFactory intake, string reference, string receipt)
    {
        var client = intake.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var open = HtmlForm.Read(await client.GetStringAsync("/follow-up"));
        open["reference"] = reference;
        open["receipt"] = receipt;
        (await client.PostAsync("/follow-up?handler=Open", open.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return (client, open);
    }

    static async Task<string?> Detail(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
}

// Intake with a clock the test moves on, so that a follow-up session's quarter of an hour passes at once.
public sealed class MovedClockIntakeFactory : IntakeFactory
{
    public MovableClock Clock { get; } = new();

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
}

// A follow-up session ends on the server 15 minutes after its last use (OWASP ASVS 5.0 V7.3.1); each use keeps it open
// 15 minutes more, so a reporter reading slowly is not sent away.
public sealed class FollowUpIdleTests(MovedClockIntakeFactory intake) : IClassFixture<MovedClockIntakeFactory>
{
    [Fact]
    public async Task AFollowUpSessionEndsFifteenMinutesAfterItsLastUse()
    {
        var (_, reference, receipt) = await intake.SubmitAsync();
        var (client, _) = await FollowUpTests.OpenedAsync(intake, reference, receipt);

        intake.Clock.By += TimeSpan.FromMinutes(14);
        (await client.GetStringAsync("/follow-up")).ShouldContain($"Report {reference}");
        intake.Clock.By += TimeSpan.FromMinutes(14);
        (await client.GetStringAsync("/follow-up")).ShouldContain($"Report {reference}", customMessage: "last used 14 minutes ago");
        intake.Clock.By += TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(5);

        var after = await client.GetStringAsync("/follow-up");
        after.ShouldNotContain($"Report {reference}");
        after.ShouldContain("name=\"receipt\"", customMessage: "the opening form, as for anyone without a session");
    }
}

// Limits are small here so that the tests reach them; each limit has its own service, so one test's spending
// never decides another's outcome.
public sealed class FollowUpLimitFactory : ServiceFactory<Program>
{
    public FollowUpLimitFactory() : base("intakedb") => Settings["FollowUp:AttemptsPerReference"] = "3";
}

public sealed class SubmissionLimitFactory : ServiceFactory<Program>
{
    public SubmissionLimitFactory() : base("intakedb") => Settings["Reports:SubmissionsPerMinute"] = "3";
}

public sealed class FollowUpLimitTests(FollowUpLimitFactory intake) : IClassFixture<FollowUpLimitFactory>
{
    [Fact]
    public async Task WrongReceiptsForAReferenceAreStoppedYetTheRightReceiptStillOpensIt()
    {
        var client = intake.CreateClient();
        var (_, reference, receipt) = await intake.SubmitAsync(client);

        for (var i = 0; i < 3; i++)
            (await intake.FollowUpResponseAsync(reference, $"GUESS-{i}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var refused = await intake.FollowUpResponseAsync(reference, "GUESS-3");
        var opened = await intake.FollowUpResponseAsync(reference, receipt);

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().ShouldBe(FollowUpPageModel.TooMany);
        opened.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

}

public sealed class ClientShareFactory : ServiceFactory<Program>
{
    public ClientShareFactory() : base("intakedb") => Settings["Reports:SubmissionsPerMinute"] = "3";
}

public sealed class ClientShareTests(ClientShareFactory intake) : IClassFixture<ClientShareFactory>
{
    // The gateway marks a sender past their own share; intake refuses them as past the budget, without spending it.
    [Fact]
    public async Task ASenderPastTheirShareIsRefusedAsPastTheBudgetAndOthersAreStillServed()
    {
        var flooder = intake.CreateClient();
        flooder.DefaultRequestHeaders.Add(ClientLimit.OverLimitHeader, "1");
        for (var i = 0; i < 5; i++)
            (await flooder.PostAsJsonAsync("/api/reports", ValidReports.Anonymous())).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        var form = HtmlForm.Read(await flooder.GetStringAsync("/report"));
        form["description"] = "Sent from a busy network.";
        var page = await flooder.PostAsync("/report", form.ToContent());
        page.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        HtmlForm.Read(await page.Content.ReadAsStringAsync())["description"].ShouldBe("Sent from a busy network.");

        (await intake.CreateClient().PostAsJsonAsync("/api/reports", ValidReports.Anonymous())).StatusCode.ShouldBe(HttpStatusCode.Created,
            "the flood spent none of the shared budget (three a minute here)");
    }
}

public sealed class SubmissionLimitTests(SubmissionLimitFactory intake) : IClassFixture<SubmissionLimitFactory>
{

    [Fact]
    public async Task SubmissionsBeyondTheBudgetAreRefusedWithAFriendlyPage()
    {
        var client = intake.CreateClient();
        HttpResponseMessage response;
        var sent = 0;
        do response = await client.PostAsJsonAsync("/api/reports", ValidReports.Anonymous());
        while (response.StatusCode == HttpStatusCode.Created && ++sent < 10);

        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var form = HtmlForm.Read(await client.GetStringAsync("/report"));
        form["description"] = "He said \"go home\" & laughed <twice>.";
        form["kind"] = "anonymous";
        var page = await client.PostAsync("/report", form.ToContent());
        page.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("Nothing you wrote is lost");

        // What was written comes back in the page, to take back to the form when the minute has passed.
        var back = HtmlForm.Read(html);
        back["description"].ShouldBe("He said \"go home\" & laughed <twice>.");
        back["kind"].ShouldBe("anonymous");
        back.Action.ShouldBe("/report");
        html.ShouldContain("""<button type="submit" name="step" value="change">Go back to my report</button>""");
    }
}

public static class FollowUpClient
{
    public static async Task<(Guid ReportId, string Reference, string Receipt)> SubmitAsync<T>(this ServiceFactory<T> intake, HttpClient? client = null)
        where T : class
    {
        var response = await (client ?? intake.CreateClient()).PostAsJsonAsync("/api/reports", ValidReports.Anonymous());
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var reference = body.GetProperty("reference").GetString()!;
        await using var scope = intake.Services.CreateAsyncScope();
        var report = scope.ServiceProvider.GetRequiredService<IntakeDbContext>().Reports.Single(r => r.Reference == reference);
        return (report.Id, reference, body.GetProperty("receipt").GetString()!);
    }

    public static Task<HttpResponseMessage> FollowUpResponseAsync<T>(this ServiceFactory<T> intake, string reference, string receipt) where T : class
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/reports/{reference}");
        request.Headers.Add("Receipt", receipt);
        return intake.CreateClient().SendAsync(request);
    }

    public static async Task<JsonElement> FollowUpAsync<T>(this ServiceFactory<T> intake, string reference, string receipt) where T : class
    {
        var response = await intake.FollowUpResponseAsync(reference, receipt);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
