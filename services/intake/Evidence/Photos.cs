using SkiaSharp;

namespace Harbour.Intake.Evidence;

// A photo is decoded and drawn again into a new file (SkiaSharp), so nothing but its pixels survives: EXIF (GPS
// position, camera serial, time), XMP, IPTC, comments, text chunks, previews and anything appended, wherever it sat
// in the file. The EXIF orientation is applied first, so the picture stays the right way up without it.
static class Photos
{
    // The largest picture drawn, in pixels (a 12-megapixel phone photo, or a long screenshot, fits). A larger JPEG is
    // read at the largest eighth of its size that fits (a 50-megapixel photo at five eighths); a larger PNG is
    // refused, so that a small file that unpacks into gigabytes cannot exhaust the server.
    public const long MaxPixels = 32_000_000;
    const string TooLarge = "this picture is too large to check. Attach a smaller copy, or a screenshot of it.";

    public static byte[] Redraw(byte[] data, SKEncodedImageFormat format)
    {
        try
        {
            return RedrawNow(data, format);
        }
        catch (Exception e) when (e.GetType() == typeof(Exception))
        {
            // SkiaSharp's own failure to allocate the pixels.
            throw new RefusedException(TooLarge);
        }
    }

    static byte[] RedrawNow(byte[] data, SKEncodedImageFormat format)
    {
        using var encoded = SKData.CreateCopy(data);
        using var codec = SKCodec.Create(encoded) ?? throw new InvalidDataException();
        var size = Fitting(codec) ?? throw new RefusedException(TooLarge);
        var info = new SKImageInfo(size.Width, size.Height, SKImageInfo.PlatformColorType, SKAlphaType.Premul);
        using var decoded = new SKBitmap(info);
        if (codec.GetPixels(info, decoded.GetPixels()) is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            throw new InvalidDataException();
        using var turned = codec.EncodedOrigin == SKEncodedOrigin.TopLeft ? null : Upright(decoded, codec.EncodedOrigin);
        var picture = turned ?? decoded;
        // Drawn again, a picture can grow (a palette PNG becomes full colour): it must still fit the limit of a file.
        foreach (var quality in format == SKEncodedImageFormat.Jpeg ? new[] { 92, 80, 65 } : [100])
        {
            using var output = picture.Encode(format, quality) ?? throw new InvalidDataException();
            if (output.Size <= Attachments.MaxBytes) return output.ToArray();
        }
        throw new RefusedException(TooLarge);
    }

    static SKSizeI? Fitting(SKCodec codec)
    {
        var full = codec.Info.Size;
        if (full.Width <= 0 || full.Height <= 0) throw new InvalidDataException();
        if ((long)full.Width * full.Height <= MaxPixels) return full;
        for (var eighths = 7; eighths >= 1; eighths--)
        {
            var size = codec.GetScaledDimensions(eighths / 8f);
            if (size != full && (long)size.Width * size.Height <= MaxPixels) return size;
        }
        return null;
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
}
