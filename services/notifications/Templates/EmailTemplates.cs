using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Harbour.Contracts;
using Harbour.Notifications.Email;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Notifications.Templates;

/// <summary>An email as it will go: its subject, its plain text and the same as HTML.</summary>
public sealed record RenderedEmail(string Subject, string Text, string Html);

// The words of each email: the admin's version if there is one, else the default, with its placeholders filled in. The HTML
// is made from the plain text (paragraphs, addresses as links, everything else escaped): no images, no remote content, no
// tracking, and nothing in it the plain text does not say.
public static partial class EmailTemplates
{
    public const int SubjectLimit = 200, TextLimit = 5_000;

    [GeneratedRegex(@"\{([A-Za-z]+)\}")]
    private static partial Regex PlaceholderPattern();

    // An address in escaped text: up to a space or an escaped quote, without the punctuation that ends a sentence.
    [GeneratedRegex(@"https?://(?:(?!&quot;|&#39;|&lt;|&gt;)[^\s<>""])+(?<![.,;:!?)])")]
    private static partial Regex LinkPattern();

    public static async Task<(string Subject, string Text)> WordsAsync(this NotificationsDbContext db, EmailPurpose purpose, CancellationToken ct) =>
        await db.Templates.AsNoTracking().SingleOrDefaultAsync(t => t.Purpose == purpose.Code, ct) is { } own
            ? (own.Subject, own.Text) : (purpose.Subject!, purpose.Text!);

    // An email of an editable purpose, in the institution's words, to send once by its key.
    public static async Task<OutgoingEmail> EmailAsync(this NotificationsDbContext db, string purpose, string key, string to,
        IReadOnlyDictionary<string, string> values, CancellationToken ct)
    {
        var found = EmailPurposes.Find(purpose) ?? throw new ArgumentException($"{purpose} is not an email purpose.", nameof(purpose));
        var (subject, text) = await db.WordsAsync(found, ct);
        var rendered = Render(subject, text, values);
        return new OutgoingEmail(key, to, rendered.Subject, rendered.Text) { Html = rendered.Html };
    }

    public static RenderedEmail Render(string subject, string text, IReadOnlyDictionary<string, string> values)
    {
        string Fill(string words) => PlaceholderPattern().Replace(words, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);
        // A subject is one line, whatever a value holds.
        var filled = (Subject: Fill(subject).ReplaceLineEndings(" ").Trim(), Text: Fill(text.ReplaceLineEndings("\n")));
        return new RenderedEmail(filled.Subject, filled.Text, Html(filled.Text));
    }

    // linkTexts: words to show for a link instead of the address itself.
    public static string Html(string text, IReadOnlyDictionary<string, string>? linkTexts = null)
    {
        var html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif;line-height:1.5\">");
        foreach (var paragraph in text.ReplaceLineEndings("\n").Split("\n\n").Where(p => p.Trim().Length > 0))
        {
            var escaped = WebUtility.HtmlEncode(paragraph.Trim()).Replace("\n", "<br>");
            escaped = LinkPattern().Replace(escaped, m =>
            {
                var shown = linkTexts is not null && linkTexts.TryGetValue(WebUtility.HtmlDecode(m.Value), out var words) ? WebUtility.HtmlEncode(words) : m.Value;
                return $"<a href=\"{m.Value}\">{shown}</a>";
            });
            html.Append("<p dir=\"auto\">").Append(escaped).Append("</p>");
        }
        return html.Append("</body></html>").ToString();
    }

    // What is wrong with a template an admin wrote, by field (subject, text), or nothing.
    public static (string Field, string Message)? Problem(EmailPurpose purpose, string? subject, string? text)
    {
        var known = (purpose.Placeholders ?? []).Select(p => p.Name).ToHashSet();
        foreach (var (field, words, limit) in new[] { ("subject", subject, SubjectLimit), ("text", text, TextLimit) })
        {
            if (string.IsNullOrWhiteSpace(words)) return (field, field == "subject" ? "Write the subject." : "Write the email.");
            if (Limits.IsOver(words, limit)) return (field, $"Keep it under {limit:N0} characters.");
            if (Limits.HasHiddenCharacters(words)) return (field, "It holds characters that cannot be sent (control characters or direction overrides).");
            if (PlaceholderPattern().Matches(words).Select(m => m.Groups[1].Value).FirstOrDefault(name => !known.Contains(name)) is { } unknown)
                return (field, $"{{{unknown}}} is not a placeholder of this email. It may use: {string.Join(", ", known.Select(k => $"{{{k}}}"))}.");
        }
        if (subject!.Contains('\n') || subject.Contains('\r')) return ("subject", "Keep the subject on one line.");
        if (PlaceholderPattern().Matches(subject).Select(m => m.Groups[1].Value).FirstOrDefault(name => purpose.Placeholders!.Any(p => p.Name == name && !p.InSubject)) is { } secret)
            return ("subject", $"{{{secret}}} cannot go in the subject: a subject is shown on lock screens and kept in the delivery log.");
        if ((purpose.Required ?? []).FirstOrDefault(r => !text!.Contains($"{{{r}}}", StringComparison.Ordinal)) is { } missing)
            return ("text", $"Keep {{{missing}}} in the email: without it the email is of no use.");
        return null;
    }

    // The preview: the template with each placeholder's sample.
    public static RenderedEmail Preview(EmailPurpose purpose, string subject, string text) =>
        Render(subject, text, (purpose.Placeholders ?? []).ToDictionary(p => p.Name, p => p.Sample));
}
