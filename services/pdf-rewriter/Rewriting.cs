using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;
using SkiaSharp;

namespace Harbour.PdfRewriter;

// A PDF is read and written out again as a new file (PDFsharp): only the objects the document still reaches are
// written, so earlier revisions kept by incremental saves go, with their own document information. Before writing,
// what identifies its author or their device goes: the document information, XMP metadata and private application
// data on every object, page modification dates, the authors and dates of comments, attached files, scripts and
// actions run on opening, and the hidden details of JPEG pictures in RGB or grey (drawn again). Its identifier is new.
// A JPEG in CMYK keeps what its author left in it.
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

    // A JPEG picture in RGB or grey is drawn again at its size and in its colours (no turning: the PDF places it).
    static void RedrawPicture(PdfDictionary image)
    {
        if (image.Stream is null || image.Elements.GetName("/Subtype") != "/Image" || image.Elements.GetName("/Filter") != "/DCTDecode") return;
        var colours = image.Elements.GetName("/ColorSpace");
        if (colours is not ("/DeviceRGB" or "/DeviceGray")) return;
        using var encoded = SKData.CreateCopy(image.Stream.Value);
        using var codec = SKCodec.Create(encoded);
        if (codec is null || (long)codec.Info.Width * codec.Info.Height > MaxPicturePixels) return;
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, colours == "/DeviceGray" ? SKColorType.Gray8 : SKImageInfo.PlatformColorType, SKAlphaType.Opaque);
        using var decoded = new SKBitmap(info);
        if (codec.GetPixels(info, decoded.GetPixels()) is not (SKCodecResult.Success or SKCodecResult.IncompleteInput)) return;
        using var output = decoded.Encode(SKEncodedImageFormat.Jpeg, 92);
        if (output is not null) image.Stream.Value = output.ToArray();
    }
}

// A file that is readable but cannot be kept as it is; the message says why and what to do.
public sealed class RefusedException(string problem) : Exception(problem);
