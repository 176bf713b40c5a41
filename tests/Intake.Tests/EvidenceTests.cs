using System.Net;
using System.Text;
using Harbour.Contracts;
using Harbour.Intake.Evidence;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdfSharp.Pdf.IO;
using SkiaSharp;

namespace Harbour.Intake.Tests;

public sealed class EvidenceTests(IntakeFactory intake) : IClassFixture<IntakeFactory>
{
    [Fact]
    public async Task PhotosAreDrawnAgainSoNoMetadataSurvivesWhereverItWasHidden()
    {
        foreach (var (original, type) in new[] { (SampleFiles.JpegWithLocation(), "image/jpeg"), (SampleFiles.PngWithAuthor(), "image/png") })
        {
            var (file, problem) = (await Attachments.CheckAsync(original, 1));

            problem.ShouldBeNull();
            file!.ContentType.ShouldBe(type);
            Encoding.ASCII.GetString(original).ShouldContain(SampleFiles.Secret);
            Encoding.ASCII.GetString(file.Content).ShouldNotContain(SampleFiles.Secret);
            using var picture = SKBitmap.Decode(file.Content);
            (picture.Width, picture.Height).ShouldBe((4, 2));
            picture.GetPixel(0, 0).Red.ShouldBeGreaterThan((byte)200);
            picture.GetPixel(3, 1).Blue.ShouldBeGreaterThan((byte)200);
        }
        // The PNG's compressed comment cannot be found by searching bytes: only the chunks a picture needs are left.
        var png = (await Attachments.CheckAsync(SampleFiles.PngWithAuthor(), 1)).File!.Content;
        PngChunks(png).Intersect(["tEXt", "zTXt", "iTXt", "eXIf", "tIME"]).ShouldBeEmpty();
        // The JPEG keeps no application segment but the JFIF header, and nothing after its end.
        var jpeg = (await Attachments.CheckAsync(SampleFiles.JpegWithLocation(), 1)).File!.Content;
        JpegMarkers(jpeg).Where(m => m is >= 0xE1 and <= 0xEF or 0xFE).ShouldBeEmpty();
        jpeg[^2..].ShouldBe(new byte[] { 0xFF, 0xD9 });
    }

    [Fact]
    public async Task APhotoTurnedByItsOrientationStaysTheRightWayUp()
    {
        // Stored 4 x 2 with "rotate 90 degrees clockwise to show": shown 2 x 4, red (the stored left) on top.
        var (file, _) = (await Attachments.CheckAsync(SampleFiles.JpegWithLocation(orientation: 6), 1));

        using var picture = SKBitmap.Decode(file!.Content);
        (picture.Width, picture.Height).ShouldBe((2, 4));
        picture.GetPixel(1, 0).Red.ShouldBeGreaterThan((byte)200);
        picture.GetPixel(0, 3).Blue.ShouldBeGreaterThan((byte)200);
    }

    [Fact]
    public async Task PdfsLoseTheirAuthorsAndEarlierRevisionsButKeepTheirPages()
    {
        var original = SampleFiles.PdfWithAuthor();
        Encoding.Latin1.GetString(original).ShouldContain(SampleFiles.Secret);

        var (file, problem) = (await Attachments.CheckAsync(original, 2));

        problem.ShouldBeNull();
        file!.FileName.ShouldBe("evidence-2.pdf");
        var written = Encoding.Latin1.GetString(file.Content);
        written.ShouldNotContain(SampleFiles.Secret);
        written.ShouldNotContain("Microsoft Word");
        written.ShouldNotContain("/Author");
        written.ShouldNotContain("(Messages)");
        written.ShouldNotContain("/PieceInfo");
        written.ShouldNotContain("D:20261128093000Z");
        written.ShouldNotContain(SampleFiles.DocumentId, customMessage: "the identifier its author's software gave it");
        written.ShouldNotContain("/JavaScript");
        written.ShouldNotContain("/EmbeddedFiles");
        written.ShouldContain("/DCTDecode", customMessage: "the photo on the page is still there, drawn again");
        written.ShouldContain("/DeviceCMYK", customMessage: "the CMYK photo is still there, without its metadata");
        using var reopened = PdfReader.Open(new MemoryStream(file.Content), PdfDocumentOpenMode.Import);
        reopened.PageCount.ShouldBe(1);
        var page = reopened.Pages[0].Contents.Elements.GetDictionary(0) as PdfSharp.Pdf.PdfDictionary;
        Encoding.Latin1.GetString(page!.Stream.UnfilteredValue).ShouldContain("The messages he sent");
    }

    [Fact]
    public async Task FilesThatCannotBeCheckedAreRefusedWithAReasonAndAWayOn()
    {
        (await Attachments.CheckAsync("GIF89a..."u8.ToArray(), 1)).Problem.ShouldBe("attach a photo (JPEG or PNG) or a PDF.");
        (await Attachments.CheckAsync([0xFF, 0xD8, 0xFF, 0xE1, 0x7F, 0xFF], 1)).Problem.ShouldStartWith("this file seems damaged");
        (await Attachments.CheckAsync("%PDF-1.7\n..."u8.ToArray(), 2)).Problem.ShouldStartWith("this file seems damaged");

        using var locked = new PdfSharp.Pdf.PdfDocument();
        locked.AddPage();
        locked.SecuritySettings.UserPassword = "secret";
        using var bytes = new MemoryStream();
        locked.Save(bytes);
        (await Attachments.CheckAsync(bytes.ToArray(), 1)).Problem.ShouldBe("this PDF is protected by a password. Save a copy without one, or attach a screenshot of it.");

        // A tiny PNG that claims to be 30,000 pixels square would unpack into gigabytes: refused before it is read.
        var bomb = SampleFiles.PngWithAuthor();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bomb.AsSpan(16), 30_000);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bomb.AsSpan(20), 30_000);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bomb.AsSpan(29), SampleFiles.Crc32(bomb[12..29]));
        (await Attachments.CheckAsync(bomb, 1)).Problem.ShouldBe("this picture is too large to check. Attach a smaller copy, or a screenshot of it.");
    }

    // A file far over the limit (a video chosen by mistake) is named beside the field, with everything typed kept.
    [Fact]
    public async Task AFileFarTooLargeIsNamedAndTheReportIsKept()
    {
        var client = intake.CreateClient();
        var check = await CheckPageAsync(client, "Everything I typed before choosing the wrong file.");

        var response = await client.PostAsync("/report", check.ToMultipart("evidence", "VID_0001.mp4", new byte[31 * 1024 * 1024]));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("<h1>Check your report</h1>");
        html.ShouldContain("class=\"quick-exit\"");
        html.ShouldContain("&quot;VID_0001.mp4&quot; is larger than 5 MB. Attach a smaller file, or leave it out.");
        html.ShouldContain("value=\"Everything I typed before choosing the wrong file.\"");
    }

    // A file nested far deeper than any document drives a recursive reader past the stack, which no handler can catch:
    // the PDF is rewritten in a process of its own, which ends; intake refuses the file and carries on.
    [Fact]
    public async Task APdfNestedToCrashTheReaderIsRefused() =>
        (await Attachments.CheckAsync(SampleFiles.PdfNestedTooDeep(), 1)).Problem
            .ShouldBe("this PDF could not be checked. Print it to a new PDF, or attach screenshots of it.");

    // A page tree that contains itself sends the reader round for ever: its process ends, intake carries on.
    [Fact]
    public async Task APdfWhosePagesContainThemselvesIsRefusedAndIntakeCarriesOn()
    {
        (await Attachments.CheckAsync(SampleFiles.PdfWithPagesInACircle(), 1)).Problem
            .ShouldBe("this PDF could not be checked. Print it to a new PDF, or attach screenshots of it.");

        (await Attachments.CheckAsync(SampleFiles.PdfWithAuthor(), 1)).Problem.ShouldBeNull("the next PDF is checked as usual");
    }

    // A 49-megapixel photo is read at six eighths of its size, so it fits what is drawn; it is not refused.
    [Fact]
    public async Task AVeryLargePhotoIsScaledDownNotRefused()
    {
        using var large = new SKBitmap(7000, 7000);
        using var encoded = large.Encode(SKEncodedImageFormat.Jpeg, 50);

        var (file, problem) = (await Attachments.CheckAsync(encoded.ToArray(), 1));

        problem.ShouldBeNull();
        using var picture = SKBitmap.Decode(file!.Content);
        (picture.Width, picture.Height).ShouldBe((5250, 5250));
    }

    static List<string> PngChunks(byte[] png)
    {
        var chunks = new List<string>();
        for (var i = 8; i + 8 <= png.Length; i += 12 + System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(i)))
            chunks.Add(Encoding.ASCII.GetString(png, i + 4, 4));
        return chunks;
    }

    // The markers of the segments before the picture's data.
    static List<byte> JpegMarkers(byte[] jpeg)
    {
        var markers = new List<byte>();
        for (var i = 2; i + 4 <= jpeg.Length && jpeg[i + 1] != 0xDA; i += 2 + ((jpeg[i + 2] << 8) | jpeg[i + 3]))
            markers.Add(jpeg[i + 1]);
        return markers;
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
