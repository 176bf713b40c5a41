using System.Buffers.Binary;
using System.Text;

namespace Harbour.Intake.Evidence;

public sealed record Attachment(string FileName, string ContentType, byte[] Content);

// What a reporter may attach: photos (JPEG, PNG) and PDFs, told apart by their content, never by name or declared
// type. Photos lose what could locate or identify the reporter (EXIF with GPS position and camera serial, XMP, IPTC,
// text chunks, comments) before anything is stored. Files are renamed, since a name can identify someone too.
public static class Attachments
{
    public const int MaxFiles = 3;
    public const long MaxBytes = 5 * 1024 * 1024;

    public static async Task<(List<Attachment> Files, string? Problem)> ReadAsync(IReadOnlyList<IFormFile> uploads, CancellationToken ct)
    {
        var files = new List<Attachment>();
        var chosen = uploads.Where(f => f.Length > 0).ToList();
        if (chosen.Count > MaxFiles) return ([], $"Attach up to {MaxFiles} files.");
        foreach (var upload in chosen)
        {
            if (upload.Length > MaxBytes) return ([], $"\"{upload.FileName}\" is larger than {MaxBytes / 1024 / 1024} MB. Attach a smaller file, or leave it out.");
            using var buffer = new MemoryStream();
            await upload.CopyToAsync(buffer, ct);
            var (file, problem) = Check(buffer.ToArray(), files.Count + 1);
            if (problem is not null) return ([], $"\"{upload.FileName}\": {problem}");
            files.Add(file!);
        }
        return (files, null);
    }

    public static (Attachment? File, string? Problem) Check(byte[] content, int number)
    {
        try
        {
            return content switch
            {
                [0xFF, 0xD8, 0xFF, ..] => (new($"evidence-{number}.jpg", "image/jpeg", StripJpeg(content)), null),
                [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => (new($"evidence-{number}.png", "image/png", StripPng(content)), null),
                [0x25, 0x50, 0x44, 0x46, 0x2D, ..] => (new($"evidence-{number}.pdf", "application/pdf", content), null),
                _ => (null, "attach a photo (JPEG or PNG) or a PDF."),
            };
        }
        catch (InvalidDataException)
        {
            return (null, "this file seems damaged. Try saving it again, or attach another.");
        }
    }

    // Keeps every segment up to the image data but the application segments that carry metadata (APP1, APP3 to
    // APP15: EXIF, XMP, IPTC...) and comments; JFIF (APP0) and the colour profile (APP2) stay.
    static byte[] StripJpeg(byte[] data)
    {
        using var output = new MemoryStream(data.Length);
        output.Write(data, 0, 2);
        var i = 2;
        while (i + 4 <= data.Length)
        {
            if (data[i] != 0xFF) throw new InvalidDataException();
            var marker = data[i + 1];
            if (marker == 0xFF) { i++; continue; }
            if (marker == 0xDA)
            {
                output.Write(data, i, data.Length - i);
                return output.ToArray();
            }
            var length = (data[i + 2] << 8) | data[i + 3];
            if (length < 2 || i + 2 + length > data.Length) throw new InvalidDataException();
            var metadata = marker is 0xE1 or (>= 0xE3 and <= 0xEF) or 0xFE;
            if (!metadata) output.Write(data, i, 2 + length);
            i += 2 + length;
        }
        throw new InvalidDataException();
    }

    static readonly string[] PngMetadata = ["tEXt", "zTXt", "iTXt", "eXIf", "tIME"];

    static byte[] StripPng(byte[] data)
    {
        using var output = new MemoryStream(data.Length);
        output.Write(data, 0, 8);
        var i = 8;
        while (i + 12 <= data.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(i));
            if (length < 0 || i + 12L + length > data.Length) throw new InvalidDataException();
            var type = Encoding.ASCII.GetString(data, i + 4, 4);
            if (!PngMetadata.Contains(type)) output.Write(data, i, 12 + length);
            i += 12 + length;
            if (type == "IEND") return output.ToArray();
        }
        throw new InvalidDataException();
    }
}
