using System.Buffers.Binary;
using System.Text;

namespace Harbour.Intake.Evidence;

public sealed record Attachment(string FileName, string ContentType, byte[] Content);

// The file field of the report's check page and of a follow-up message, with the problem of the last files chosen.
public sealed record EvidenceField(string? Error);

// What a reporter may attach: photos (JPEG, PNG) and PDFs, told apart by their content, never by name or declared
// type. Photos lose what could locate or identify the reporter (EXIF with GPS position and camera serial, XMP, IPTC,
// text chunks, comments) before anything is stored. Files are renamed, since a name can identify someone too.
public static class Attachments
{
    public const int MaxFiles = 3;
    public const long MaxBytes = 5 * 1024 * 1024;

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
    static string Shown(string name) => new([.. name.Where(c => !char.IsControl(c) && c is not (>= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069'))]);

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

    // Keeps the segments a picture needs and drops those that carry metadata (APP1 and APP3 to APP15: EXIF, XMP,
    // IPTC...; comments; APP2 unless it is the colour profile). Stops at the end of the first image, so pictures a
    // phone appends after it (previews, depth maps, motion videos, each with its own metadata) go too.
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
                // Inside the image data a 0xFF byte is always followed by 0x00 or a restart marker, so the first
                // 0xFF 0xD9 is the end of the image.
                var end = data.AsSpan(i).IndexOf([(byte)0xFF, (byte)0xD9]);
                if (end < 0) throw new InvalidDataException();
                output.Write(data, i, end + 2);
                return output.ToArray();
            }
            var length = (data[i + 2] << 8) | data[i + 3];
            if (length < 2 || i + 2 + length > data.Length) throw new InvalidDataException();
            var colourProfile = marker == 0xE2 && data.AsSpan(i + 4, Math.Min(12, length - 2)).SequenceEqual("ICC_PROFILE\0"u8);
            var metadata = (marker is >= 0xE1 and <= 0xEF && !colourProfile) || marker == 0xFE;
            if (!metadata) output.Write(data, i, 2 + length);
            i += 2 + length;
        }
        throw new InvalidDataException();
    }

    // Only the chunks that draw the picture; text, time, EXIF and anything unknown are left out.
    static readonly string[] PngKept = ["IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "bKGD", "pHYs"];

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
            if (PngKept.Contains(type)) output.Write(data, i, 12 + length);
            i += 12 + length;
            if (type == "IEND") return output.ToArray();
        }
        throw new InvalidDataException();
    }
}
