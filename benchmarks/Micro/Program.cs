using System.Text;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;

// Runs every benchmark side by side and writes docs/benchmarks.md: what matters is each row's ratio to its table's
// baseline, measured in the same run on the same machine, not the absolute times.
var config = ManualConfig.CreateMinimumViable()
    .AddJob(Job.ShortRun)
    .AddDiagnoser(MemoryDiagnoser.Default);
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Harbour.Benchmarks.ProfileBenchmarks).Assembly).RunAll(config, args);

var report = new StringBuilder(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "benchmarks.template.md")));
foreach (var summary in summaries)
{
    var table = new AccumulationLogger();
    MarkdownExporter.GitHub.ExportToLog(summary, table);
    report.AppendLine().AppendLine($"### {summary.BenchmarksCases.FirstOrDefault()?.Descriptor.Type.Name}").AppendLine().Append(table.GetLog());
}
Console.WriteLine($"Wrote {Harbour.Benchmarks.BenchmarksDoc.Write("micro", report.ToString())}");
