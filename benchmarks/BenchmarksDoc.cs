namespace Harbour.Benchmarks;

// docs/benchmarks.md holds one part per suite, between <!-- name --> and <!-- /name -->. Each suite rewrites only its
// own part, so running one suite keeps the other's last figures.
public static class BenchmarksDoc
{
    // The Harbour tree the suite was built from (where Harbour.slnx is).
    public static string Root
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Harbour.slnx"))) directory = directory.Parent;
            return directory?.FullName ?? throw new InvalidOperationException("Run the suite from inside the Harbour tree.");
        }
    }

    // Replaces the text of a part. A part inside another ("load:flood" inside "load") that is not there yet is added at
    // the end of its parent, so that a figure run alone keeps its place among the others.
    public static string Write(string part, string text)
    {
        var path = Path.Combine(Root, "docs", "benchmarks.md");
        string start = $"<!-- {part} -->", end = $"<!-- /{part} -->";
        var doc = File.ReadAllText(path);
        if (!doc.Contains(start, StringComparison.Ordinal) && part.Split(':') is [var parent, _]
            && doc.IndexOf($"<!-- /{parent} -->", StringComparison.Ordinal) is var parentEnd and >= 0)
            doc = doc[..parentEnd] + start + "\n" + end + "\n" + doc[parentEnd..];
        int from = doc.IndexOf(start, StringComparison.Ordinal), to = doc.IndexOf(end, StringComparison.Ordinal);
        if (from < 0 || to < from) throw new InvalidOperationException($"{path} has no {start} ... {end} part.");
        File.WriteAllText(path, doc[..(from + start.Length)] + "\n" + text.Trim() + "\n" + doc[to..]);
        return path;
    }
}
