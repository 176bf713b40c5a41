using SkiaSharp;

namespace Harbour.Intake.Evidence;

// A file as it will be kept (Content, re-encoded), and the SHA-256 of the file as the reporter sent it (Sent), by which a
// report sent again is recognised: re-encoding is not guaranteed to give the same bytes twice.
public sealed record Attachment(string FileName, string ContentType, byte[] Content, byte[] Sent);

// The file field of the report's check page and of a follow-up message, with the problem of the last files chosen.
public sealed record EvidenceField(string? Error);

// What a reporter may attach: photos (JPEG, PNG) and PDFs, told apart by their content, never by name or declared
// type. Before anything is stored, photos are re-encoded and PDFs rewritten without their metadata, so nothing that
// could locate or identify the reporter survives (EXIF with GPS position and camera serial, XMP, IPTC, text chunks,
// comments, PDF authors and producing software). Files are renamed, since a name can identify someone too.
public static class Attachments
{
    public const int MaxFiles = 3;
    public const long MaxBytes = 5 * 1024 * 1024;
    // The largest post the report and follow-up pages read (bytes): room for files well past MaxBytes, so that a file
    // too large is named beside the field with everything typed kept. Past it, the "too large" page (nothing kept).
    // Other addresses keep the server's 30 MB.
    public const long MaxPostBytes = 64 * 1024 * 1024;

    // firstNumber: files sent later, with a follow-up message, carry on the report's numbering.
    public static async Task<(List<Attachment> Files, string? Problem)> ReadAsync(IReadOnlyList<IFormFile> uploads, CancellationToken ct,
        int firstNumber = 1, ILogger? log = null)
    {
        var files = new List<Attachment>();
        // A file field left empty sends a part with no name and nothing in it; a chosen file that is empty is a mistake to say.
        var chosen = uploads.Where(f => f.Length > 0 || f.FileName.Length > 0).ToList();
        if (chosen.Count > MaxFiles) return ([], $"Attach up to {MaxFiles} files.");
        if (chosen.FirstOrDefault(f => f.Length == 0) is { } empty)
            return ([], $"\"{Shown(empty.FileName)}\" is empty: attach the file again, or leave it out.");
        foreach (var upload in chosen)
        {
            if (upload.Length > MaxBytes) return ([], $"\"{Shown(upload.FileName)}\" is larger than {MaxBytes / 1024 / 1024} MB. Attach a smaller file, or leave it out.");
            using var buffer = new MemoryStream();
            await upload.CopyToAsync(buffer, ct);
            var (file, problem) = await CheckAsync(buffer.ToArray(), firstNumber + files.Count, ct, log);
            if (problem is not null) return ([], $"\"{Shown(upload.FileName)}\": {problem}");
            files.Add(file!);
        }
        return (files, null);
    }

    // The files a post carried that this answer does not keep, named so that the reporter chooses them again ("" when
    // there were none, or when only the one file a problem already names). A browser cannot carry a file back to a page.
    public static string ChooseAgain(HttpRequest request, string when = "")
    {
        var names = request.HasFormContentType
            ? request.Form.Files.GetFiles("evidence").Where(f => f.Length > 0 || f.FileName.Length > 0).Select(f => $"\"{Shown(f.FileName)}\"").ToList()
            : [];
        return names.Count == 0 ? "" : $" The files you chose were not kept ({string.Join(", ", names)}): choose them again{when}.";
    }

    // A file's name as the page repeats it: without characters that would turn the rest of the sentence around.
    public static string Shown(string name) => new([.. name.Where(c => !char.IsControl(c) && c is not (>= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069'))]);

    public static async Task<(Attachment? File, string? Problem)> CheckAsync(byte[] content, int number, CancellationToken ct = default,
        ILogger? log = null)
    {
        try
        {
            var sent = System.Security.Cryptography.SHA256.HashData(content);
            return content switch
            {
                [0xFF, 0xD8, 0xFF, ..] => (new($"evidence-{number}.jpg", "image/jpeg",
                    await OneOfFewAsync(() => Task.FromResult(Photos.Redraw(content, SKEncodedImageFormat.Jpeg)), ct), sent), null),
                [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => (new($"evidence-{number}.png", "image/png",
                    await OneOfFewAsync(() => Task.FromResult(Photos.Redraw(content, SKEncodedImageFormat.Png)), ct), sent), null),
                [0x25, 0x50, 0x44, 0x46, 0x2D, ..] => (new($"evidence-{number}.pdf", "application/pdf",
                    await OneOfFewAsync(() => Pdfs.RewriteAsync(content, ct, log), ct), sent), null),
                _ => (null, "attach a photo (JPEG or PNG) or a PDF."),
            };
        }
        catch (RefusedException refused)
        {
            return (null, refused.Message);
        }
        catch (InvalidDataException)
        {
            return (null, "this file seems damaged. Try saving it again, or attach another.");
        }
    }

    // Decoding a picture or rewriting a PDF can take a hundred megabytes or more: two at a time, so that many reporters
    // sending files at once queue for a moment (without holding a thread) rather than exhaust the server's memory.
    static async Task<T> OneOfFewAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        if (!await Checking.WaitAsync(TimeSpan.FromSeconds(30), ct))
            throw new RefusedException("many files are being checked just now. Please send it again in a minute.");
        try
        {
            return await work();
        }
        finally
        {
            Checking.Release();
        }
    }

    static readonly SemaphoreSlim Checking = new(2);
}

// A file that is readable but cannot be kept as it is; the message says why and what to do.
sealed class RefusedException(string problem) : Exception(problem);
