using Ganss.Xss;
using Markdig;

namespace Harbour.Profile;

// Guidance is written by admins in Markdown and shown to the public: raw HTML is escaped, and what Markdown
// produces is sanitised again, so a pasted script or a javascript: link never reaches a reader.
public static class SafeMarkdown
{
    static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().UseAutoLinks().Build();
    static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    public static string ToHtml(string markdown) => Sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));

    static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedSchemes.Add("tel");
        return sanitizer;
    }
}
