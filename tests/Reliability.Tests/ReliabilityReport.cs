using System.Text;

namespace Harbour.Reliability.Tests;

// Prints the table and writes it to docs/reliability.md.
public static class ReliabilityReport
{
    public static void Write(IReadOnlyList<PhaseResult> results)
    {
        var table = new StringBuilder()
            .AppendLine("| fault | load | reports or events sent | acknowledged | refused | lost | duplicated | left in error queues |")
            .AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
            table.AppendLine($"| {r.Fault} | {r.Load} | {r.Sent} | {r.Acknowledged} | {r.Refused} | {r.Audit.Lost} | " +
                             $"{r.Audit.Duplicated} | {r.Audit.Failed} |");
        table.AppendLine($"| **all phases** | | {results.Sum(r => r.Sent)} | {results.Sum(r => r.Acknowledged)} | " +
                         $"{results.Sum(r => r.Refused)} | {results.LastOrDefault()?.Audit.Lost ?? 0} | " +
                         $"{results.Sum(r => r.Audit.Duplicated)} | {results.LastOrDefault()?.Audit.Failed ?? 0} |");
        Console.WriteLine(table);

        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Harbour.slnx"))) root = root.Parent;
        if (root is null) return;
        var template = File.ReadAllText(Path.Combine(root.FullName, "tests", "Reliability.Tests", "reliability.template.md"));
        File.WriteAllText(Path.Combine(root.FullName, "docs", "reliability.md"), template
            .Replace("{{date}}", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'"))
            .Replace("{{table}}", table.ToString().TrimEnd()));
    }
}
