using BenchmarkDotNet.Attributes;
using Harbour.Profile;
using Markdig;

namespace Harbour.Benchmarks;

// A guidance page is rendered at every view: Markdown alone, against Markdown then sanitising (what Harbour does).
public class GuidanceBenchmarks
{
    readonly string markdown = DefaultProfile.Value.Guidance.Single(g => g.Slug == "what-happens-next").Markdown;
    readonly MarkdownPipeline pipeline = new MarkdownPipelineBuilder().DisableHtml().UseAutoLinks().Build();

    [Benchmark(Baseline = true)]
    public string MarkdownOnly() => Markdown.ToHtml(markdown, pipeline);

    [Benchmark]
    public string MarkdownThenSanitised() => SafeMarkdown.ToHtml(markdown);
}
