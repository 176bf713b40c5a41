using System.Net;
using System.Text;
using Harbour.Contracts;
using Harbour.Intake.Evidence;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Intake.Tests;

public sealed class EvidenceTests(IntakeFactory intake) : IClassFixture<IntakeFactory>
{
    [Fact]
    public void PhotosLoseTheirLocationAndCameraDetails()
    {
        foreach (var (original, type) in new[] { (SampleFiles.JpegWithLocation(), "image/jpeg"), (SampleFiles.PngWithAuthor(), "image/png") })
        {
            var (file, problem) = Attachments.Check(original, 1);

            problem.ShouldBeNull();
            file!.ContentType.ShouldBe(type);
            Encoding.ASCII.GetString(original).ShouldContain(SampleFiles.Secret);
            Encoding.ASCII.GetString(file.Content).ShouldNotContain(SampleFiles.Secret);
            file.Content.Length.ShouldBeGreaterThan(20);
        }
    }

    [Fact]
    public void OnlyPhotosAndPdfsAreAcceptedWhateverTheirName()
    {
        Attachments.Check("GIF89a..."u8.ToArray(), 1).Problem.ShouldBe("attach a photo (JPEG or PNG) or a PDF.");
        Attachments.Check([0xFF, 0xD8, 0xFF, 0xE1, 0x7F, 0xFF], 1).Problem.ShouldStartWith("this file seems damaged");
        Attachments.Check("%PDF-1.7\n..."u8.ToArray(), 2).File!.FileName.ShouldBe("evidence-2.pdf");
    }

    [Fact]
    public async Task AFileAttachedOnTheCheckPageIsStoredSealedAndGoesToTheCase()
    {
        var client = intake.CreateClient();
        var check = await CheckPageAsync(client, "The poster in the lift, photographed this morning.");

        var response = await client.PostAsync("/report", check.ToMultipart("evidence", "IMG_2041 Sam.png", SampleFiles.PngWithAuthor()));

        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("Your report has been received");
        var reference = html[(html.IndexOf("id=\"reference\">", StringComparison.Ordinal) + 15)..].Split('<')[0];
        await using var scope = intake.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
        var report = await db.Reports.SingleAsync(r => r.Reference == reference);
        var evidence = await db.Evidence.SingleAsync(e => e.ReportId == report.Id);
        evidence.FileName.ShouldBe("evidence-1.png");
        Encoding.ASCII.GetString(evidence.SealedContent).ShouldNotContain("IHDR");
        var opened = intake.Services.GetRequiredService<Sealer>().OpenBytes(evidence.SealedContent);
        Encoding.ASCII.GetString(opened).ShouldContain("IHDR");
        Encoding.ASCII.GetString(opened).ShouldNotContain(SampleFiles.Secret);
        (await db.Outbox.Where(m => m.Type == typeof(EvidenceSubmitted).FullName).ToListAsync()).ShouldContain(m => m.Payload.Contains(reference));
    }

    [Fact]
    public async Task AFileOfTheWrongKindIsRefusedAndTheReportIsKept()
    {
        var client = intake.CreateClient();
        var check = await CheckPageAsync(client, "Messages he sent me, saved as a document.");

        var response = await client.PostAsync("/report", check.ToMultipart("evidence", "messages.docx", "PK\u0003\u0004 not a photo"u8.ToArray()));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("<h1>Check your report</h1>");
        html.ShouldContain("&quot;messages.docx&quot;: attach a photo (JPEG or PNG) or a PDF.");
        html.ShouldContain("value=\"Messages he sent me, saved as a document.\"");
    }

    [Fact]
    public async Task AnEmptyFileIsRefusedByNameAndTheReportIsKept()
    {
        var client = intake.CreateClient();
        var check = await CheckPageAsync(client, "The photo did not save properly.");

        var response = await client.PostAsync("/report", check.ToMultipart("evidence", "x.jpg", []));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("&quot;x.jpg&quot; is empty: attach the file again, or leave it out.");
        html.ShouldContain("value=\"The photo did not save properly.\"");
    }

    static async Task<HtmlForm> CheckPageAsync(HttpClient client, string description)
    {
        var form = HtmlForm.Read(await client.GetStringAsync("/report"));
        form["kind"] = "anonymous";
        form["categories"] = "offensive-advertising";
        form["description"] = description;
        form["location"] = "city-campus/students-union";
        form["occurredWhen"] = "today";
        form["reporterRole"] = "student";
        form["step"] = "check";
        var check = HtmlForm.Read(await (await client.PostAsync("/report", form.ToContent())).Content.ReadAsStringAsync());
        check["step"] = "send";
        return check;
    }
}
