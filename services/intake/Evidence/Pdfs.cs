using System.IO.Compression;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace Harbour.Intake.Evidence;

// A PDF is read and written out again as a new file (PDFsharp): only the objects the document still reaches are
// written, so earlier revisions kept by incremental saves go, with their own document information. Before writing,
// what identifies its author or their device goes: the document information, XMP metadata and private application
// data on every object, page modification dates, the authors and dates of comments, attached files, scripts and
// actions run on opening, and the hidden details of JPEG pictures in RGB or grey (drawn again). Its identifier is new.
// A JPEG in CMYK keeps what its author left in it.
static class Pdfs
{
    static readonly string[] MetadataKeys = ["/Metadata", "/PieceInfo", "/LastModified"];
    static readonly string[] CommentKeys = ["/T", "/M", "/CreationDate"];
    static readonly string[] CatalogActions = ["/OpenAction", "/AA"];
    static readonly string[] NamedContent = ["/EmbeddedFiles", "/JavaScript"];

    // Real files nest arrays and dictionaries a few levels deep; PDFsharp reads each level by recursion, so a crafted
    // file nested thousands deep would overflow the stack, which no handler can catch. Object streams are unpacked in
    // memory: past this size a file is a bomb, not a document.
    const int MaxNesting = 100;
    const int MaxUnpacked = 64 * 1024 * 1024;
    const string TooComplex = "this PDF is too complex to check. Print it to a new PDF, or attach screenshots of it.";

    public static byte[] Rewrite(byte[] data) => Attachments.OneOfFew(() =>
    {
        Guard(data);
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
                foreach (var key in CatalogActions) document.Internals.Catalog.Elements.Remove(key);
                foreach (var item in document.Internals.GetAllObjects()) Forget(item, 0);
                document.Internals.FirstDocumentID = Guid.NewGuid().ToString("N");
                document.Internals.SecondDocumentID = document.Internals.FirstDocumentID;
                using var output = new MemoryStream();
                document.Save(output);
                return output.ToArray();
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                throw new InvalidDataException("Unwritable PDF", e);
            }
        }
    });

    static void Forget(PdfItem item, int depth)
    {
        if (depth > MaxNesting) throw new RefusedException(TooComplex);
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

    static void RedrawPicture(PdfDictionary image)
    {
        if (image.Stream is null || image.Elements.GetName("/Subtype") != "/Image" || image.Elements.GetName("/Filter") != "/DCTDecode") return;
        var colours = image.Elements.GetName("/ColorSpace");
        if (colours is not ("/DeviceRGB" or "/DeviceGray")) return;
        if (Photos.RedrawInPdf(image.Stream.Value, gray: colours == "/DeviceGray") is { } drawn) image.Stream.Value = drawn;
    }

    // Measures how deeply the file, and each object stream in it, nests arrays and dictionaries.
    static void Guard(byte[] data)
    {
        Nesting(data);
        var at = 0;
        while ((at = IndexOfKeyword(data, "stream"u8, at)) >= 0)
        {
            var start = at + 6 + (data.Length > at + 7 && data[at + 6] == '\r' && data[at + 7] == '\n' ? 2 : 1);
            var end = data.AsSpan(start).IndexOf("endstream"u8);
            if (end < 0) return;
            var header = data.AsSpan(0, at);
            var dictionary = header[(header.LastIndexOf("obj"u8) is var o and >= 0 ? o : 0)..];
            if (dictionary.IndexOf("/ObjStm"u8) >= 0)
                Nesting(dictionary.IndexOf("/FlateDecode"u8) >= 0 ? Unpack(data.AsSpan(start, end).ToArray()) : data.AsSpan(start, end));
            at = start + end + 9;
        }
    }

    static byte[] Unpack(byte[] packed)
    {
        using var zlib = new ZLibStream(new MemoryStream(packed), CompressionMode.Decompress);
        using var unpacked = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = zlib.Read(buffer)) > 0)
        {
            unpacked.Write(buffer, 0, read);
            if (unpacked.Length > MaxUnpacked) throw new RefusedException(TooComplex);
        }
        return unpacked.ToArray();
    }

    // PDF syntax (ISO 32000-1, 7.2 and 7.3) just far enough to count nesting: comments, literal and hex strings, and
    // stream data are skipped, so brackets inside them do not count.
    static void Nesting(ReadOnlySpan<byte> pdf)
    {
        var depth = 0;
        for (var i = 0; i < pdf.Length; i++)
        {
            switch (pdf[i])
            {
                case (byte)'%':
                    while (i < pdf.Length && pdf[i] is not ((byte)'\r' or (byte)'\n')) i++;
                    break;
                case (byte)'(':
                    for (var open = 1; open > 0 && ++i < pdf.Length;)
                        if (pdf[i] == '\\') i++;
                        else if (pdf[i] == '(') open++;
                        else if (pdf[i] == ')') open--;
                    break;
                case (byte)'<' when i + 1 < pdf.Length && pdf[i + 1] == '<':
                case (byte)'[':
                    if (pdf[i] == '<') i++;
                    if (++depth > MaxNesting) throw new RefusedException(TooComplex);
                    break;
                case (byte)'<':
                    while (i < pdf.Length && pdf[i] != '>') i++;
                    break;
                case (byte)'>' when i + 1 < pdf.Length && pdf[i + 1] == '>':
                case (byte)']':
                    if (pdf[i] == '>') i++;
                    depth = Math.Max(0, depth - 1);
                    break;
                case (byte)'s' when IsKeyword(pdf, i, "stream"u8):
                    var end = pdf[i..].IndexOf("endstream"u8);
                    if (end < 0) return;
                    i += end + 8;
                    break;
            }
        }
    }

    static int IndexOfKeyword(byte[] data, ReadOnlySpan<byte> keyword, int from)
    {
        for (var i = from; i < data.Length; i++)
        {
            var found = data.AsSpan(i).IndexOf(keyword);
            if (found < 0) return -1;
            i += found;
            if (IsKeyword(data, i, keyword)) return i;
        }
        return -1;
    }

    // "stream" as a keyword: after a delimiter or white space, before an end of line (not the end of "endstream").
    static bool IsKeyword(ReadOnlySpan<byte> pdf, int i, ReadOnlySpan<byte> keyword) =>
        pdf[i..].StartsWith(keyword) && (i == 0 || pdf[i - 1] is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t' or (byte)'>')
        && i + keyword.Length < pdf.Length && pdf[i + keyword.Length] is (byte)'\r' or (byte)'\n';
}
