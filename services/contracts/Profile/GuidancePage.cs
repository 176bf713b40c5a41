namespace Harbour.Contracts;

// A public guidance page, written in Markdown; Audience is students, staff or everyone.
public sealed record GuidancePage
{
    public string Slug { get; init; } = "";
    public string Title { get; init; } = "";
    public string Audience { get; init; } = "everyone";
    public string Markdown { get; init; } = "";
}
