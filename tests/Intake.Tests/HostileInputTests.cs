using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Harbour.Intake.Tests;

// The reporter's door under anything: hostile bodies to every public form and the report API (odd methods, sizes,
// encodings, field counts, control characters, broken multipart). Never a 5xx; an HTML answer is always a page of the
// site with its quick exit, never raw JSON; and the genuine reports sent in between are all kept.
public sealed class HostileInputTests(HostileInputTests.Factory intake) : IClassFixture<HostileInputTests.Factory>
{
    // Thousands of posts in a few seconds would spend the shared submission budget, which is not what is under test here.
    public sealed class Factory : IntakeFactory
    {
        public Factory() => Settings["Reports:SubmissionsPerMinute"] = "1000000";
    }

    const int BodiesPerDoor = 1_000;

    // What people (and scripts) send that a form does not expect.
    static readonly string[] Nasty =
    [
        "\0", "A\0", "%00", "\u0001\u0002", "\u202Eevil", "\uFEFF", "\uD800", "😀", "مرحبا", "<script>alert(1)</script>", "' OR 1=1 --",
        "{\"a\":", "[]", "null", "-1", "99999999999999999999", "2026-13-45", "../../etc/passwd", "HR-2026-000001", "\r\n\r\n", new string('x', 25_000),
        "anonymous", "race", "student", "city-campus/library", "on", "true", "check", "send", "change",
    ];

    static readonly string[] Names =
    [
        "Report.Kind", "Report.Description", "Report.Categories", "Report.Location", "Report.ReporterRole", "Report.OccurredOn", "Report.SubmissionId",
        "reference", "receipt", "body", "draft", "step", "__RequestVerificationToken", "evidence", "kind", "description", "categories", "x", "",
        "Report.Categories[0]", "Report[Kind]", "%", "a%zz",
    ];

    // token: the page's real form token, sent with half the forms, so that hostile values reach the handlers behind it.
    static HttpContent Hostile(Random random, string? token)
    {
        IEnumerable<KeyValuePair<string, string>> WithToken(IEnumerable<KeyValuePair<string, string>> fields) =>
            token is not null && random.Next(2) == 0 ? fields.Append(new("__RequestVerificationToken", token)) : fields;
        string Value() => random.Next(4) == 0 ? Nasty[random.Next(Nasty.Length)] + Nasty[random.Next(Nasty.Length)] : Nasty[random.Next(Nasty.Length)];
        string Name() => Names[random.Next(Names.Length)];
        switch (random.Next(12))
        {
            case 0: // many fields
                return new StringContent(string.Join("&", Enumerable.Range(0, 1_100 + random.Next(500)).Select(i => $"f{i}=1")), Encoding.UTF8, "application/x-www-form-urlencoded");
            case 1: // one value over the form reader's limit
                return new StringContent($"{Name()}=" + new string('a', 4 * 1024 * 1024 + 10), Encoding.UTF8, "application/x-www-form-urlencoded");
            case 2: // broken multipart
                return new StringContent("--boundary\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nvalue-without-end", Encoding.UTF8)
                { Headers = { ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=boundary") } };
            case 3: // multipart with no boundary
                return new StringContent("whatever", Encoding.UTF8) { Headers = { ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data") } };
            case 4: // a file where text is expected, and odd file names
                var multipart = new MultipartFormDataContent
                {
                    { new StringContent(Value()), Name() is { Length: > 0 } name ? name : "x" },
                    { new StringContent(token is not null && random.Next(2) == 0 ? token : Value()), "__RequestVerificationToken" },
                    { new ByteArrayContent(random.Next(2) == 0 ? [] : Encoding.UTF8.GetBytes(Value())), random.Next(2) == 0 ? "evidence" : "file", random.Next(2) == 0 ? "x.jpg" : "n\u00e4me \u202E.pdf" },
                };
                return multipart;
            case 5: // JSON, valid or not
                return new StringContent(random.Next(2) == 0 ? "{\"kind\":" + Value() : $"{{\"{Name()}\":\"{Value().Replace("\"", "")}\"}}", Encoding.UTF8, "application/json");
            case 6: // another type altogether
                return new StringContent(Value(), Encoding.UTF8, random.Next(2) == 0 ? "text/plain" : "application/xml");
            case 7: // nothing
                return new ByteArrayContent([]);
            case 8: // broken percent-encoding
                return new StringContent("a=%zz&b=%&%00=%00&c=%C0%AF", Encoding.UTF8, "application/x-www-form-urlencoded");
            default: // a form of random fields and values
                return new FormUrlEncodedContent(WithToken(Enumerable.Range(0, 1 + random.Next(12)).Select(_ => new KeyValuePair<string, string>(Name(), Value()))));
        }
    }

    // The inputs that gave a server error before, each answered by a page of the site with its quick exit and privacy headers.
    [Theory]
    [InlineData("POST", "/follow-up?handler=Open", "reference=A%00&receipt=x", "application/x-www-form-urlencoded", 400, "We could not read what was sent")]
    [InlineData("POST", "/report", "x=%00", "application/x-www-form-urlencoded", 400, "")]
    [InlineData("POST", "/follow-up?handler=Open", "x=%00", "application/x-www-form-urlencoded", 400, "")]
    [InlineData("PUT", "/report", "", "application/x-www-form-urlencoded", 405, "We could not read what was sent")]
    [InlineData("POST", "/report", "many", "application/x-www-form-urlencoded", 400, "We could not read what was sent")]
    [InlineData("POST", "/report", "huge", "application/x-www-form-urlencoded", 400, "We could not read what was sent")]
    [InlineData("POST", "/report", "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nno end", "multipart/form-data; boundary=b", 400, "We could not read what was sent")]
    [InlineData("GET", "/no-such-page", "", "", 404, "There is no page here")]
    public async Task EachInputThatOnceFailedGetsAPageOfTheSite(string method, string path, string body, string type, int status, string says)
    {
        body = body switch
        {
            "many" => string.Join("&", Enumerable.Range(0, 1_100).Select(i => $"f{i}=1")),
            "huge" => "Report.Description=" + new string('a', 4 * 1024 * 1024 + 10),
            _ => body,
        };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (type.Length > 0)
            request.Content = new StringContent(body, Encoding.UTF8) { Headers = { ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(type) } };
        using var response = await intake.CreateClient(new() { AllowAutoRedirect = false }).SendAsync(request);

        ((int)response.StatusCode).ShouldBe(status);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
        var page = await response.Content.ReadAsStringAsync();
        page.ShouldContain("class=\"quick-exit\"");
        page.ShouldContain(says);
        response.Headers.CacheControl?.NoStore.ShouldBe(true);
        response.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
        response.Headers.Contains("Content-Security-Policy").ShouldBeTrue();
    }

    [Fact]
    public async Task AFollowUpCookieCutShortOpensNothingAndBreaksNothing()
    {
        var client = intake.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        foreach (var cookie in new[] { "v1.", "v1.AAAA", "v1.!!", "nonsense" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/follow-up") { Headers = { { "Cookie", $"harbour_follow_up={cookie}" } } };
            using var response = await client.SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, cookie);
            (await response.Content.ReadAsStringAsync()).ShouldContain("name=\"receipt\"", customMessage: "the opening form, as for anyone without a session");
        }
    }

    // A body over the server's limit stops the form, and so the form token read from it: the answer is what stopped it.
    [Fact]
    public async Task WhatStoppedTheFormIsTheAnswer()
    {
        Harbour.ServiceDefaults.BadInput.StatusFor(new Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException("token",
            new Microsoft.AspNetCore.Http.BadHttpRequestException("Request body too large.", 413))).ShouldBe(413);
        var tooMany = await Record.ExceptionAsync(() => new Microsoft.AspNetCore.WebUtilities.FormReader(
            string.Join("&", Enumerable.Range(0, 1100).Select(n => $"f{n}=x"))) { ValueCountLimit = 1024 }.ReadFormAsync());
        Harbour.ServiceDefaults.BadInput.StatusFor(tooMany.ShouldBeOfType<InvalidDataException>()).ShouldBe(400);
        Harbour.ServiceDefaults.BadInput.StatusFor(new InvalidDataException("a stored value of ours is broken")).ShouldBe(500, "only the framework's form readers speak for bad input");
        Harbour.ServiceDefaults.BadInput.StatusFor(new IOException("disk full")).ShouldBe(500, "our own failure is not the reporter's mistake");
    }

    [Fact]
    public async Task NoHostileBodyGetsAServerErrorOrAPageWithoutTheQuickExitAndGenuineReportsAreAllKept()
    {
        var random = new Random(20261201);
        var client = intake.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        // A real report, open on this browser, so that hostile messages reach the follow-up handlers and the messages API.
        var (_, reference, receipt) = await intake.SubmitAsync();
        var open = HtmlForm.Read(await client.GetStringAsync("/follow-up"));
        (open["reference"], open["receipt"]) = (reference, receipt);
        (await client.PostAsync("/follow-up?handler=Open", open.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var reportToken = StaffSignIn.AntiforgeryTokenIn(await client.GetStringAsync("/report"));
        var followUpToken = StaffSignIn.AntiforgeryTokenIn(await client.GetStringAsync("/follow-up"));
        // Closing the report (Leave) comes last: it ends the session the others use.
        var doors = new (string Path, string? Token)[]
        {
            ("/report", reportToken), ("/report?step=check", reportToken), ("/follow-up?handler=Open", followUpToken), ("/follow-up?handler=Message", followUpToken),
            ("/api/reports", null), ($"/api/reports/{reference}/messages", null), ("/follow-up?handler=Leave", followUpToken),
        };
        // Cookies no browser of ours would send: cut short, forged, from another key ring.
        var forged = intake.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        forged.DefaultRequestHeaders.Add("Cookie", "harbour_follow_up=v1.; harbour_form=CfDJ8-not-a-token; harbour_left=1");
        forged.DefaultRequestHeaders.Add("Receipt", "AAAA-0000-not-a-receipt");
        var methods = new[] { HttpMethod.Post, HttpMethod.Post, HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Get };
        var problems = new List<string>();
        var kept = new List<(string Reference, string Receipt)>();
        foreach (var (door, token) in doors)
        {
            for (var i = 0; i < BodiesPerDoor; i++)
            {
                var method = methods[random.Next(methods.Length)];
                using var request = new HttpRequestMessage(method, door) { Content = method == HttpMethod.Get ? null : Hostile(random, token) };
                if (door.Contains("/messages")) request.Headers.Add("Receipt", receipt);
                using var response = await (random.Next(10) == 0 ? forged : client).SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                var html = !door.StartsWith("/api/");
                if ((int)response.StatusCode >= 500) problems.Add($"{method} {door} #{i}: {(int)response.StatusCode}");
                else if (html && response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther)
                    && !(body.Contains("class=\"quick-exit\"") && response.Content.Headers.ContentType?.MediaType == "text/html"))
                    problems.Add($"{method} {door} #{i}: {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} without the site's page");
                else if (html && response.Headers.CacheControl?.NoStore != true && (int)response.StatusCode >= 400)
                    problems.Add($"{method} {door} #{i}: {(int)response.StatusCode} without the privacy headers");
                if (i % 100 == 0)
                {
                    var genuine = await client.PostAsJsonAsync("/api/reports", ValidReports.Anonymous($"Genuine report {door} {i}: shouted at by the bus stop."));
                    if (genuine.StatusCode != HttpStatusCode.Created) problems.Add($"a genuine report between hostile ones: {(int)genuine.StatusCode}");
                    else
                    {
                        var answer = await genuine.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
                        kept.Add((answer.GetProperty("reference").GetString()!, answer.GetProperty("receipt").GetString()!));
                    }
                }
            }
        }
        problems.Distinct().Take(40).ShouldBeEmpty();
        kept.Count.ShouldBe(doors.Length * BodiesPerDoor / 100);
        kept.Select(k => k.Reference).Distinct().Count().ShouldBe(kept.Count);
        foreach (var (keptReference, keptReceipt) in kept)
            (await intake.FollowUpAsync(keptReference, keptReceipt)).GetProperty("reference").GetString().ShouldBe(keptReference, "each genuine report opens with its receipt");
    }
}
