using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SkiaSharp;

namespace Harbour.Testing;

// Real pictures and a real PDF carrying the kind of metadata phones and office software add, some of it where a
// parser looking only at the usual places would miss it, to prove that none of it survives.
public static class SampleFiles
{
    public const string Secret = "GPS 51.4545N 2.5879W Sam's iPhone";

    // A 4 x 2 photo with EXIF (position, camera, and the given orientation), XMP, IPTC and a comment before the
    // picture, an unknown segment between its tables, and a second picture with its own EXIF appended after the
    // end, as phones do for previews and motion photos.
    public static byte[] JpegWithLocation(ushort orientation = 1)
    {
        var picture = Picture(SKEncodedImageFormat.Jpeg);
        byte[] exif = [.. "Exif\0\0MM\0\x2A\0\0\0\x08"u8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, (byte)(orientation >> 8), (byte)orientation, 0, 0,
            0, 0, 0, 0, .. Encoding.ASCII.GetBytes(Secret)];
        var before = Concat(Segment(0xE1, exif), Segment(0xE1, Encoding.ASCII.GetBytes("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>" + Secret + "</x:xmpmeta>")),
            Segment(0xED, Encoding.ASCII.GetBytes("Photoshop 3.0\08BIM" + Secret)), Segment(0xFE, Encoding.ASCII.GetBytes(Secret)));
        var tables = picture.AsSpan().IndexOf([(byte)0xFF, (byte)0xDB]); // the first quantisation table
        return Concat(picture[..2], before, picture[2..tables], Segment(0xEB, Encoding.ASCII.GetBytes("JUMB" + Secret)), picture[tables..],
            [0xFF, 0xD8], Segment(0xE1, exif), [0xFF, 0xD9], Encoding.ASCII.GetBytes(Secret));
    }

    // A 4 x 2 picture with an author in a text chunk before the image data, a compressed one and an EXIF chunk after it.
    public static byte[] PngWithAuthor()
    {
        var picture = Picture(SKEncodedImageFormat.Png);
        var afterHeader = 8 + 25;
        var end = picture.Length - 12;
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal)) zlib.Write(Encoding.ASCII.GetBytes(Secret));
        return Concat(picture[..afterHeader], Chunk("tEXt", Encoding.ASCII.GetBytes("Author\0" + Secret)), picture[afterHeader..end],
            Chunk("zTXt", [.. "Comment\0\0"u8, .. compressed.ToArray()]), Chunk("eXIf", Encoding.ASCII.GetBytes("MM\0*" + Secret)), picture[end..]);
    }

    public const string DocumentId = "5A4D5A4D5A4D5A4D5A4D5A4D5A4D5A4D";

    // A one-page PDF whose author and producing software sit in the document information, in XMP on the catalog and
    // on the page, in private application data, in a comment's author, in a photo drawn on the page (its EXIF), in an
    // attached file, and in the information of an earlier revision that an incremental save left in the file. It also
    // runs a script on opening, and carries the identifier its author's software gave it.
    public static byte[] PdfWithAuthor()
    {
        const string content = "BT /F1 12 Tf 72 720 Td (The messages he sent) Tj ET q 40 0 0 20 72 600 cm /Im1 Do Q q 40 0 0 20 72 500 cm /Im2 Do Q";
        var xmp = $"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><dc:creator>{Secret}</dc:creator></x:xmpmeta>";
        var photo = Encoding.Latin1.GetString(JpegWithLocation());
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> " +
                "/Names << /EmbeddedFiles << /Names [(notes.txt) 10 0 R] >> >> >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Metadata 5 0 R /Annots [9 0 R] " +
                $"/PieceInfo << /Word << /Private ({Secret}) >> >> /LastModified (D:20261128093000Z) " +
                "/Resources << /Font << /F1 7 0 R >> /XObject << /Im1 8 0 R /Im2 12 0 R >> >> >>",
            $"<< /Length {content.Length} >>\nstream\n{content}\nendstream",
            $"<< /Type /Metadata /Subtype /XML /Length {xmp.Length} >>\nstream\n{xmp}\nendstream",
            $"<< /Author ({Secret}) /Creator (Microsoft Word) /Producer ({Secret}) >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< /Type /XObject /Subtype /Image /Width 4 /Height 2 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode " +
                $"/Length {photo.Length} >>\nstream\n{photo}\nendstream",
            $"<< /Type /Annot /Subtype /Text /Rect [72 500 92 520] /T ({Secret}) /M (D:20261128093000Z) /Contents (See the corridor) >>",
            "<< /Type /Filespec /F (notes.txt) /EF << /F 11 0 R >> >>",
            $"<< /Type /EmbeddedFile /Length {Secret.Length} >>\nstream\n{Secret}\nendstream",
            // The same photo, said to be in CMYK, which cannot be drawn again without changing its colours.
            "<< /Type /XObject /Subtype /Image /Width 4 /Height 2 /ColorSpace /DeviceCMYK /BitsPerComponent 8 /Filter /DCTDecode " +
                $"/Length {photo.Length} >>\nstream\n{photo}\nendstream",
        ];
        var pdf = new StringBuilder("%PDF-1.7\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        var firstXref = pdf.Length;
        pdf.Append($"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets) pdf.Append($"{offset:D10} 00000 n \n");
        pdf.Append($"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R /Info 6 0 R /ID [<{DocumentId}> <{DocumentId}>] >>\nstartxref\n{firstXref}\n%%EOF\n");
        // The incremental save: a new information dictionary; the old one stays in the file, no longer used.
        var next = objects.Length + 1;
        var newInfo = pdf.Length;
        pdf.Append($"{next} 0 obj\n<< /Title (Messages) >>\nendobj\n");
        var secondXref = pdf.Length;
        pdf.Append($"xref\n{next} 1\n{newInfo:D10} 00000 n \ntrailer\n<< /Size {next + 1} /Root 1 0 R /Info {next} 0 R /Prev {firstXref} " +
            $"/ID [<{DocumentId}> <{DocumentId}>] >>\nstartxref\n{secondXref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(pdf.ToString());
    }

    // A well-formed PDF whose page tree lists itself as its own child.
    public static byte[] PdfWithPagesInACircle() => Pdf("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R] /Count 1 >>");

    // A well-formed PDF whose catalog holds an array nested far deeper than any document, as an attack on a reader
    // that reads nesting by recursion.
    public static byte[] PdfNestedTooDeep() =>
        Pdf($"<< /Type /Catalog /Pages 2 0 R /Deep {new string('[', 200_000)}{new string(']', 200_000)} >>", "<< /Type /Pages /Kids [] /Count 0 >>");

    // Objects numbered from 1, with their cross-reference table and trailer (the first object is the catalog).
    static byte[] Pdf(params string[] objects)
    {
        var pdf = new StringBuilder("%PDF-1.7\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        var xref = pdf.Length;
        pdf.Append($"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets) pdf.Append($"{offset:D10} 00000 n \n");
        pdf.Append($"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(pdf.ToString());
    }

    // Four pixels wide, two high: red on the left half, blue on the right, so a turn or a mirror shows.
    static byte[] Picture(SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(4, 2);
        for (var x = 0; x < 4; x++)
        for (var y = 0; y < 2; y++)
            bitmap.SetPixel(x, y, x < 2 ? SKColors.Red : SKColors.Blue);
        using var data = bitmap.Encode(format, 100);
        return data.ToArray();
    }

    static byte[] Segment(byte marker, byte[] body) => [0xFF, marker, (byte)((body.Length + 2) >> 8), (byte)(body.Length + 2), .. body];

    static byte[] Chunk(string type, byte[] body)
    {
        byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. body];
        var chunk = new byte[12 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, body.Length);
        typed.CopyTo(chunk, 4);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + body.Length), Crc32(typed));
        return chunk;
    }

    // PNG's chunk checksum (ISO 3309 CRC-32, as in the PNG specification's annex D).
    public static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
