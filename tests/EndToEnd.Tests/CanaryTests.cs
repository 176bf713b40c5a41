using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Harbour.EndToEnd.Tests;

// The canary (docs/security.md): words, a name, an email address, a client address and a user agent found nowhere else are
// reported through the gateway and worked through a case (a note, a message each way, a department informed, which opens its
// acknowledge link, a meeting with its invitation and the "a message waits" email to the reporter, who chose email, a task, a
// playbook action skipped with a reason, a referral's uptake note, legal advice, a closure and a reopening); then every
// row of every service's database, everything every service has logged and every message that crossed the broker (a
// copy of each kept by a tap queue) are searched for them. They may be only where they are sealed, and in the emails meant for their recipients (the mail
// catcher, not searched). What the services exported by OpenTelemetry (traces, logs, metrics, as a collector receives them)
// is searched too.
[Collection(HarbourCollection.Name)]
public sealed class CanaryTests(HarbourSystem harbour)
{
    [Fact]
    public async Task WhatAReporterToldAndWhoTheyAreIsInNoDatabaseRowAndNoLogOutsideSealedValues()
    {
        var canary = Guid.NewGuid().ToString("N")[..10];
        var said = new Dictionary<string, string>
        {
            ["narrative"] = $"canarynarrative{canary} he grabbed my arm by the lockers",
            ["name"] = $"Canaryname{canary} Okonkwo",
            ["email"] = $"canary{canary}@student.example.ac.uk",
            ["client address"] = $"203.0.113.{Random.Shared.Next(1, 250)}",
            ["user agent"] = $"CanaryBrowser{canary}/1.0",
            ["note"] = $"canarynote{canary} spoke to the porter",
            ["reply"] = $"canaryreply{canary} we can meet on Thursday",
            ["answer"] = $"canaryanswer{canary} Thursday suits me",
            ["alert"] = $"canaryalert{canary} please check the camera by the lockers",
            ["task"] = $"canarytask{canary} ask the porter for the rota",
            ["checklist reason"] = $"canaryskipped{canary} the reporter asked us not to",
            ["referral note"] = $"canaryuptake{canary} first session went well",
            ["legal advice"] = $"canarylegal{canary} share only with consent",
            ["reopening reason"] = $"canaryreopened{canary} a second incident",
        };
        // The learning summary is written to be published in anonymised form: analytics keeps it as it is (docs/security.md).
        // Everywhere else, the broker included, it may only be sealed.
        var learningSummary = $"canarylearning{canary} lockers need a camera";
        await harbour.TapTheBrokerAsync();
        var reporter = harbour.Visitor();
        reporter.DefaultRequestHeaders.UserAgent.ParseAdd(said["user agent"]);
        reporter.DefaultRequestHeaders.Add("X-Forwarded-For", said["client address"]);
        var response = await reporter.PostAsJsonAsync("/api/reports", new
        {
            kind = "named", categories = new[] { "sexual-harassment" }, description = said["narrative"], location = "city-campus/library",
            occurredWhen = "yesterday", reporterRole = "student", contactName = said["name"], contactEmail = said["email"], consentToContact = "yes",
            preferredContact = "email", safeToLeaveMessage = "yes",
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var acknowledgement = await response.Content.ReadFromJsonAsync<JsonElement>();
        var (reference, receipt) = (acknowledgement.GetProperty("reference").GetString()!, acknowledgement.GetProperty("receipt").GetString()!);

        var staff = await harbour.SignedInStaffAsync();
        await Eventually.GetAsync(() => staff.GetAsync($"/api/cases/{reference}"), r => r.IsSuccessStatusCode, "the case", seconds: 120);
        (await staff.PostAsJsonAsync($"/api/cases/{reference}/notes", new { text = said["note"] })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await staff.PostAsJsonAsync($"/api/cases/{reference}/messages", new { body = said["reply"] })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await staff.PostAsJsonAsync($"/api/cases/{reference}/alerts",
            new { alertId = Guid.CreateVersion7(), departmentId = "campus-security", text = said["alert"], urgent = false })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await staff.PostAsJsonAsync($"/api/cases/{reference}/meetings", new
        {
            meetingId = Guid.CreateVersion7(), date = DateTime.UtcNow.AddDays(8).ToString("yyyy-MM-dd"), time = "14:30", minutes = 45,
            format = "in-person", where = "Student Centre, room 2", emailReporter = true,
        })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var open = HtmlForm.Read(await reporter.GetStringAsync("/follow-up"));
        open["reference"] = reference;
        open["receipt"] = receipt;
        (await reporter.PostAsync("/follow-up?handler=Open", open.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var followUp = await Eventually.GetAsync(() => reporter.GetStringAsync("/follow-up"), p => p.Contains(said["reply"]), "the reply on the follow-up page");
        var answer = HtmlForm.Read(followUp, "form:has(textarea[name=body])");
        answer["body"] = said["answer"];
        (await reporter.PostAsync("/follow-up?handler=Message", answer.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await Eventually.GetAsync(() => staff.GetFromJsonAsync<JsonElement>($"/api/cases/{reference}"),
            c => c.GetProperty("messages").EnumerateArray().Any(m => m.GetProperty("body").GetString() == said["answer"]), "the answer on the case");
        var departmentMail = await Eventually.GetAsync(() => harbour.Mail.WithSubjectAsync(reference), mails => mails.Any(m => m.To.Any(t => t.Contains("security"))),
            "the department's email", seconds: 120);
        // The department opens its acknowledge link: the link's secret is in that email alone.
        var link = System.Text.RegularExpressions.Regex.Match(
            await harbour.Mail.PlainTextAsync(departmentMail.First(m => m.To.Any(t => t.Contains("security")))), "/acknowledge/([A-Za-z0-9_-]{43})");
        link.Success.ShouldBeTrue("the alert carries its acknowledge link");
        said["acknowledge-link secret"] = link.Groups[1].Value;
        (await harbour.Visitor().GetAsync(link.Value)).StatusCode.ShouldBe(HttpStatusCode.OK);
        // A new member of staff opens their invitation: the link's secret is in that email alone.
        var invited = $"canary-staff-{canary}@harbour.test";
        (await staff.PostAsJsonAsync("/api/staff/invitations", new { email = invited, displayName = "Canary Staff", roles = new[] { "Analyst" }, teams = Array.Empty<string>() }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var invitation = await Eventually.GetAsync(async () => (await harbour.Mail.WithSubjectAsync("Your invitation to Harbour")).Where(m => m.To.Contains(invited)).ToList(),
            m => m.Count > 0, "the invitation email", seconds: 120);
        var invitationLink = StaffBrowserTests.InvitationLink().Match(await harbour.Mail.PlainTextAsync(invitation[0])).Value;
        said["invitation secret"] = invitationLink[(invitationLink.LastIndexOf('/') + 1)..];
        said["invitation secret"].Length.ShouldBe(43, "the invitation carries its link");
        (await harbour.Visitor().GetAsync(invitationLink)).StatusCode.ShouldBe(HttpStatusCode.OK);
        // The reporter chose email and said it is safe: told a message waits, and sent the meeting's invitation.
        await Eventually.GetAsync(async () => (await harbour.Mail.WithSubjectAsync("Your appointment")).Count(m => m.To.Contains(said["email"]))
                + (await harbour.Mail.WithSubjectAsync("A new message")).Count(m => m.To.Contains(said["email"])),
            count => count >= 2, "the reporter's two emails", seconds: 120);

        // The rest of a case's work: a task, a playbook action skipped with a reason, a referral and what became of it, legal
        // advice, a closure with its learning summary and a reopening.
        var adminId = (await staff.GetFromJsonAsync<JsonElement>("/api/staff")).EnumerateArray()
            .Single(a => a.GetProperty("email").GetString() == HarbourSystem.AdminEmail).GetProperty("id").GetString();
        (await staff.PostAsJsonAsync($"/api/cases/{reference}/tasks", new { title = said["task"], dueOn = DateTime.UtcNow.AddDays(7).ToString("yyyy-MM-dd"), ownerId = adminId }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await staff.PostAsJsonAsync($"/api/cases/{reference}/checklist/sexual-harassment:0", new { decision = "skipped", reason = said["checklist reason"] }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var referralId = Guid.CreateVersion7();
        (await staff.PostAsJsonAsync($"/api/cases/{reference}/referrals", new { referralId, serviceId = "counselling", how = "signpost" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await staff.PostAsJsonAsync($"/api/cases/{reference}/referrals/{referralId}/uptake", new { uptake = "taken-up", note = said["referral note"] }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await staff.PostAsJsonAsync($"/api/cases/{reference}/legal-advice", new { advice = said["legal advice"] })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await staff.PostAsJsonAsync($"/api/cases/{reference}/closure", new { outcome = "support-provided", learningSummary })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await staff.PostAsJsonAsync($"/api/cases/{reference}/reopening", new { reason = said["reopening reason"] })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await Eventually.GetAsync(() => harbour.Mail.WithSubjectAsync("Cancelled: your appointment"), mails => mails.Any(m => m.To.Contains(said["email"])),
            "the meeting's cancellation, sent when the case closed", seconds: 120);
        var analyticsdb = await harbour.ConnectionStringAsync("analyticsdb");
        await Eventually.GetAsync(() => DatabaseDump.EveryRowAsync(analyticsdb), rows => rows.Contains(learningSummary.Split(' ')[0]), "the closure in analytics", seconds: 120);

        var places = new Dictionary<string, string>();
        foreach (var database in new[] { "intakedb", "casesdb", "notificationsdb", "analyticsdb" })
            places[database] = await DatabaseDump.EveryRowAsync(await harbour.ConnectionStringAsync(database));
        foreach (var service in new[] { "gateway", "intake", "cases", "notifications", "analytics" })
            places[$"{service}'s log"] = await harbour.LogsOfAsync(service);

        // What the services exported: once cases' traces show the case's requests, and two more rounds of metrics from every
        // service (traces and logs go every second, metrics every two) have come after the last thing done.
        var metricsBefore = harbour.Telemetry.Count("metrics");
        await Eventually.GetAsync(() => Task.FromResult(harbour.Telemetry.Everything("traces")),
            traces => traces.Contains($"/api/cases/{reference}/meetings") && traces.Contains("/acknowledge/{token}") && traces.Contains("/cases/invitation/{token}"),
            "the services' traces", seconds: 60);
        await Eventually.GetAsync(() => Task.FromResult(harbour.Telemetry.Count("metrics")), n => n >= metricsBefore + 2 * 5, "two more rounds of metrics", seconds: 60);
        foreach (var signal in new[] { "traces", "logs", "metrics" })
            places[$"the exported {signal}"] = harbour.Telemetry.Everything(signal);
        places["the exported logs"].ShouldContain($"Report {reference} accepted", Case.Sensitive, "the search reads the exported logs");

        places["the broker"] = await harbour.EveryMessageOnTheBrokerAsync();
        places["the broker"].ShouldContain(reference, Case.Sensitive, "the search reads the messages that crossed the broker");

        places["casesdb"].ShouldContain(reference, Case.Sensitive, "the search reads the rows the case is in");
        // Analytics holds pseudonyms only: nothing by which its rows join back to the case without the cases service.
        await using (var casesdb = new Npgsql.NpgsqlConnection(await harbour.ConnectionStringAsync("casesdb")))
        {
            await casesdb.OpenAsync();
            await using var ids = new Npgsql.NpgsqlCommand("SELECT id::text, report_id::text FROM cases WHERE reference = @reference", casesdb);
            ids.Parameters.AddWithValue("reference", reference);
            await using var row = await ids.ExecuteReaderAsync();
            (await row.ReadAsync()).ShouldBeTrue();
            places["analyticsdb"].ShouldContain("\"kind\":\"named\"", Case.Sensitive, "the search reads analytics' facts");
            foreach (var id in new[] { reference, row.GetString(0), row.GetString(1) })
                places["analyticsdb"].ShouldNotContain(id, Case.Insensitive, "no id of another service in analytics");
        }
        places["intake's log"].ShouldContain($"Report {reference} accepted", Case.Sensitive, "the search reads what the services logged");
        // Each by its first word, unique to this run: a part of it, or the sentence around it escaped, is found as well.
        var found = from place in places from canaryWord in said
                    where place.Value.Contains(canaryWord.Value.Split(' ')[0], StringComparison.OrdinalIgnoreCase)
                    select $"the {canaryWord.Key} in {place.Key}";
        found.ShouldBeEmpty();
        places.Where(place => place.Value.Contains(learningSummary.Split(' ')[0], StringComparison.OrdinalIgnoreCase)).Select(place => place.Key)
            .ShouldBe(["analyticsdb"], "the learning summary in analytics, nowhere else (it crosses the broker sealed)");
    }
}
