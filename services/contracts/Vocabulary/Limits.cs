using System.Net.Mail;

namespace Harbour.Contracts;

// Lengths and rules every service applies alike to what people type.
public static class Limits
{
    // Characters in a report's description (ReportDetails.Description).
    public const int Description = 20_000;
    // Characters in one message of a conversation, either way.
    public const int Message = 5_000;
    // Characters in a name or a short free-text answer ("last week", contact times).
    public const int ShortText = 200;

    // Whether text is longer than a limit, counted as the browser counts it for a field's maxlength: a line break is one
    // character, though a form sends it as CRLF (two). Server and browser then agree on every limit.
    public static bool IsOver(string? text, int limit) => text is not null && text.Length - CountCrLf(text) > limit;

    static int CountCrLf(string text)
    {
        var count = 0;
        for (var i = text.IndexOf("\r\n", StringComparison.Ordinal); i >= 0; i = text.IndexOf("\r\n", i + 2, StringComparison.Ordinal)) count++;
        return count;
    }

    // Text a person typed that holds characters no one types: control characters other than tab and line breaks (a NUL is
    // refused by PostgreSQL), or the bidirectional overrides that make text read differently from what it holds.
    public static bool HasHiddenCharacters(string? text) =>
        text is not null && text.Any(c => (char.IsControl(c) && c is not ('\t' or '\r' or '\n')) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069');

    // An email address as it is kept: one address, no display name, no spaces around it, a domain with a dot, at most
    // 254 characters (RFC 5321's limit on a path). Trim what people type before asking.
    public static bool IsEmail(string? text) =>
        text is { Length: > 0 and <= 254 } && MailAddress.TryCreate(text, out var address) && address.Address == text
        && address.Host.Contains('.');
}
