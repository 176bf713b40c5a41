using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;
using SkiaSharp;

namespace Harbour.Intake.Evidence;

public sealed record Attachment(string FileName, string ContentType, byte[] Content);

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
        int firstNumber = 1)
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
            var (file, problem) = Check(buffer.ToArray(), firstNumber + files.Count);
            if (problem is not null) return ([], $"\"{Shown(upload.FileName)}\": {problem}");
            files.Add(file!);
        }
        return (files, null);
    }

    // A file's name as the page repeats it: without characters that would turn the rest of the sentence around.
    public static string Shown(string name) => new([.. name.Where(c => !char.IsControl(c) && c is not (>= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069'))]);

    public static (Attachment? File, string? Problem) Check(byte[] content, int number)
    {
        try
        {
            return content switch
            {
                [0xFF, 0xD8, 0xFF, ..] => (new($"evidence-{number}.jpg", "image/jpeg", Redraw(content, SKEncodedImageFormat.Jpeg)), null),
                [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => (new($"evidence-{number}.png", "image/png", Redraw(content, SKEncodedImageFormat.Png)), null),
                [0x25, 0x50, 0x44, 0x46, 0x2D, ..] => (new($"evidence-{number}.pdf", "application/pdf", Rewrite(content)), null),
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

    // The largest picture kept, in pixels (a 50-megapixel phone photo fits). Larger JPEGs are scaled down as they are
    // read; a PNG that large is refused, so a small file that unpacks into gigabytes cannot exhaust the server.
    public const long MaxPixels = 52_000_000;

    // A photo is decoded and drawn again into a new file, so nothing but its pixels survives: EXIF (GPS position,
    // camera serial, time), XMP, IPTC, comments, text chunks, previews and anything appended, wherever it sat in the
    // file. The EXIF orientation is applied first, so the picture stays the right way up without it.
    static byte[] Redraw(byte[] data, SKEncodedImageFormat format)
    {
        using var codec = SKCodec.Create(SKData.CreateCopy(data)) ?? throw new InvalidDataException();
        var pixels = (long)codec.Info.Width * codec.Info.Height;
        var size = pixels > MaxPixels ? codec.GetScaledDimensions((float)Math.Sqrt((double)MaxPixels / pixels)) : codec.Info.Size;
        if (size.Width <= 0 || size.Height <= 0) throw new InvalidDataException();
        if ((long)size.Width * size.Height > MaxPixels)
            throw new RefusedException("this picture is too large to check. Attach a smaller copy, or a screenshot of it.");
        var info = new SKImageInfo(size.Width, size.Height, SKImageInfo.PlatformColorType, SKAlphaType.Premul);
        using var decoded = new SKBitmap(info);
        if (codec.GetPixels(info, decoded.GetPixels()) is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            throw new InvalidDataException();
        using var upright = Upright(decoded, codec.EncodedOrigin);
        using var encoded = upright.Encode(format, 92) ?? throw new InvalidDataException();
        return encoded.ToArray();
    }

    // The EXIF orientations (TIFF 6.0 tag 274), as the transform that shows the stored pixels the right way up.
    static SKBitmap Upright(SKBitmap bitmap, SKEncodedOrigin origin)
    {
        float w = bitmap.Width, h = bitmap.Height;
        var (transform, turned) = origin switch
        {
            SKEncodedOrigin.TopRight => (new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1), false),
            SKEncodedOrigin.BottomRight => (new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1), false),
            SKEncodedOrigin.BottomLeft => (new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1), false),
            SKEncodedOrigin.LeftTop => (new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1), true),
            SKEncodedOrigin.RightTop => (new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1), true),
            SKEncodedOrigin.RightBottom => (new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1), true),
            SKEncodedOrigin.LeftBottom => (new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1), true),
            _ => (SKMatrix.Identity, false),
        };
        var result = new SKBitmap(turned ? bitmap.Height : bitmap.Width, turned ? bitmap.Width : bitmap.Height);
        using var canvas = new SKCanvas(result);
        canvas.SetMatrix(transform);
        canvas.DrawBitmap(bitmap, 0, 0);
        return result;
    }

    // Entries that carry who made a PDF, with what and when: the document information dictionary is emptied and
    // these go from every dictionary in the file (XMP streams on the catalog, pages, images and fonts; private
    // application data; page modification dates).
    static readonly string[] PdfMetadataKeys = ["/Metadata", "/PieceInfo", "/LastModified"];

    // A PDF is read and written out again as a new file: only the objects the document still reaches are written, so
    // earlier revisions kept by incremental saves (with their own document information) go too.
    static byte[] Rewrite(byte[] data)
    {
        PdfDocument document;
        try
        {
            document = PdfReader.Open(new MemoryStream(data), PdfDocumentOpenMode.Modify);
        }
        catch (PdfReaderException e) when (e.Message.Contains("password", StringComparison.OrdinalIgnoreCase))
        {
            throw new RefusedException("this PDF is protected by a password. Save a copy without one, or attach a screenshot of it.");
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new InvalidDataException("Unreadable PDF", e);
        }
        using (document)
        {
            try
            {
                document.Info.Elements.Clear();
                foreach (var item in document.Internals.GetAllObjects()) Forget(item);
                using var output = new MemoryStream();
                document.Save(output);
                return output.ToArray();
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                throw new InvalidDataException("Unwritable PDF", e);
            }
        }
    }

    static void Forget(PdfItem item)
    {
        switch (item)
        {
            case PdfDictionary dictionary:
                foreach (var key in PdfMetadataKeys) dictionary.Elements.Remove(key);
                foreach (var value in dictionary.Elements.Values) if (value is PdfDictionary or PdfArray) Forget(value);
                break;
            case PdfArray array:
                foreach (var value in array.Elements) if (value is PdfDictionary or PdfArray) Forget(value);
                break;
        }
    }

    // A file that is readable but cannot be kept as it is; the message says why and what to do.
    sealed class RefusedException(string problem) : Exception(problem);
}
