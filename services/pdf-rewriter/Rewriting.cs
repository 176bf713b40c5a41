using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;
using SkiaSharp;

namespace Harbour.PdfRewriter;

// A PDF is read and written out again as a new file (PDFsharp): only the objects the document still reaches are
// written, so earlier revisions kept by incremental saves go, with their own document information. Before writing,
// what identifies its author or their device goes: the document information, XMP metadata and private application
// data on every object, page modification dates, the authors and dates of comments, attached files, scripts and
// actions run on opening, and the hidden details of JPEG pictures (those in RGB or grey are drawn again; the others,
// such as CMYK, lose their metadata segments). Its identifier is new.
public static class Rewriting
{
    static readonly string[] MetadataKeys = ["/Metadata", "/PieceInfo", "/LastModified"];
    static readonly string[] CommentKeys = ["/T", "/M", "/CreationDate"];
    static readonly string[] CatalogActions = ["/OpenAction", "/AA"];
    static readonly string[] NamedContent = ["/EmbeddedFiles", "/JavaScript"];
    const int MaxNesting = 100;
    const long MaxPicturePixels = 32_000_000;

    public static byte[] Rewrite(byte[] data)
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
        using (document)
        {
            document.Info.Elements.Clear();
            foreach (var key in CatalogActions) document.Internals.Catalog.Elements.Remove(key);
            foreach (var item in document.Internals.GetAllObjects()) Forget(item, 0);
            document.Internals.FirstDocumentID = Guid.NewGuid().ToString("N");
            document.Internals.SecondDocumentID = document.Internals.FirstDocumentID;
            using var output = new MemoryStream();
            document.Save(output);
            return output.ToArray();
        }
    }

    static void Forget(PdfItem item, int depth)
    {
        if (depth > MaxNesting) throw new RefusedException("this PDF is too complex to check. Print it to a new PDF, or attach screenshots of it.");
        switch (item)
        {
            case PdfDictionary dictionary:
                foreach (var key in MetadataKeys) dictionary.Elements.Remove(key);
                // A comment or markup (every annotation has a /Rect) loses its author and dates; a form field keeps its name.
                if (dictionary.Elements.ContainsKey("/Rect") && dictionary.Elements.ContainsKey("/Subtype")
                    && dictionary.Elements.GetName("/Subtype") != "/Widget")
                {
                    foreach (var key in CommentKeys) dictionary.Elements.Remove(key);
                    dictionary.Elements.Remove("/FS");
                }
                foreach (var key in NamedContent) dictionary.Elements.Remove(key);
                RedrawPicture(dictionary);
                foreach (var value in dictionary.Elements.Values.ToList())
                    if (value is PdfDictionary or PdfArray) Forget(value, depth + 1);
                break;
            case PdfArray array:
                foreach (var value in array.Elements.ToList())
                    if (value is PdfDictionary or PdfArray) Forget(value, depth + 1);
                break;
        }
    }

    // A JPEG picture in RGB or grey is drawn again at its size and in its colours (no turning: the PDF places it); one
    // that cannot be (CMYK, or colours given by a profile) loses its metadata segments instead.
    static void RedrawPicture(PdfDictionary image)
    {
        if (image.Stream is null || image.Elements.GetName("/Subtype") != "/Image" || image.Elements.GetName("/Filter") != "/DCTDecode") return;
        var colours = image.Elements.GetName("/ColorSpace");
        var jpeg = image.Stream.Value;
        var clean = (colours is "/DeviceRGB" or "/DeviceGray" ? Redraw(jpeg, gray: colours == "/DeviceGray") : null) ?? WithoutMetadata(jpeg);
        if (clean is not null) image.Stream.Value = clean;
    }

    static byte[]? Redraw(byte[] jpeg, bool gray)
    {
        using var encoded = SKData.CreateCopy(jpeg);
        using var codec = SKCodec.Create(encoded);
        if (codec is null || (long)codec.Info.Width * codec.Info.Height > MaxPicturePixels) return null;
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, gray ? SKColorType.Gray8 : SKImageInfo.PlatformColorType, SKAlphaType.Opaque);
        using var decoded = new SKBitmap(info);
        if (codec.GetPixels(info, decoded.GetPixels()) is not (SKCodecResult.Success or SKCodecResult.IncompleteInput)) return null;
        using var output = decoded.Encode(SKEncodedImageFormat.Jpeg, 92);
        return output?.ToArray();
    }

    // A JPEG that cannot be drawn again without changing its colours (CMYK) keeps its picture segments and loses the
    // rest: EXIF, XMP, IPTC, comments and application data (APP1, APP3 to APP13, APP15), and anything after its end.
    // Kept: the colour profile (APP2 ICC_PROFILE) and Adobe's colour transform (APP14), which the colours depend on.
    // Null when the segments do not read as JPEG.
    static byte[]? WithoutMetadata(byte[] jpeg)
    {
        if (jpeg is not [0xFF, 0xD8, ..]) return null;
        using var output = new MemoryStream(jpeg.Length);
        output.Write(jpeg, 0, 2);
        var i = 2;
        while (i + 4 <= jpeg.Length)
        {
            if (jpeg[i] != 0xFF) return null;
            var marker = jpeg[i + 1];
            if (marker == 0xFF) { i++; continue; }
            if (marker == 0xDA)
            {
                // In the picture data a 0xFF is followed by 0x00 or a restart marker, so the first 0xFF 0xD9 ends it.
                var end = jpeg.AsSpan(i).IndexOf([(byte)0xFF, (byte)0xD9]);
                if (end < 0) return null;
                output.Write(jpeg, i, end + 2);
                return output.ToArray();
            }
            var length = (jpeg[i + 2] << 8) | jpeg[i + 3];
            if (length < 2 || i + 2 + length > jpeg.Length) return null;
            var colourProfile = marker == 0xE2 && jpeg.AsSpan(i + 4, Math.Min(12, length - 2)).SequenceEqual("ICC_PROFILE\0"u8);
            var metadata = (marker is >= 0xE1 and <= 0xEF && marker != 0xEE && !colourProfile) || marker == 0xFE;
            if (!metadata) output.Write(jpeg, i, 2 + length);
            i += 2 + length;
        }
        return null;
    }
}

// A file that is readable but cannot be kept as it is; the message says why and what to do.
public sealed class RefusedException(string problem) : Exception(problem);
