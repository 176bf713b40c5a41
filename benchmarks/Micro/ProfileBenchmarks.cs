using BenchmarkDotNet.Attributes;
using Harbour.Contracts;
using Harbour.Cases.Profile;
using Harbour.Profile;

namespace Harbour.Benchmarks;

// Reading the institution profile: what a service pays when a new version arrives, as JSON (how it is stored and
// published) or as YAML (how admins import it).
public class ProfileBenchmarks
{
    readonly string json = ProfileFile.Write(DefaultProfile.Value, yaml: false);
    readonly string yaml = ProfileFile.Write(DefaultProfile.Value, yaml: true);

    [Benchmark(Baseline = true)]
    public InstitutionProfile? ReadJson() => ProfileFile.Read(json, yaml: false).Profile;

    [Benchmark]
    public InstitutionProfile? ReadYaml() => ProfileFile.Read(yaml, yaml: true).Profile;

    [Benchmark]
    public string WriteYaml() => ProfileFile.Write(DefaultProfile.Value, yaml: true);
}
