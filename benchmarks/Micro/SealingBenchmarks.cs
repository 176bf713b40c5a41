using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;
using Microsoft.Extensions.Configuration;

namespace Harbour.Benchmarks;

// What sealing a report's narrative and contact details costs, against writing them as plain JSON.
public class SealingBenchmarks
{
    readonly Sealer sealer = new(new ConfigurationBuilder()
        .AddInMemoryCollection([KeyValuePair.Create("Harbour:ReportKey", (string?)"benchmark-report-key-0123456789abcdefghijklmnop")]).Build());
    readonly ReportDetails details = new(
        string.Concat(Enumerable.Repeat("He followed me from the library to the bus stop and shouted at me. ", 20)),
        new DateOnly(2026, 11, 2), null, "Sam Student", "sam@example.ac.uk", "07700 900123", "me", ["student"], "one", "email");
    string sealedDetails = "";

    [GlobalSetup]
    public void Seal() => sealedDetails = sealer.Seal(details);

    [Benchmark(Baseline = true)]
    public byte[] PlainJson() => JsonSerializer.SerializeToUtf8Bytes(details);

    [Benchmark]
    public string SealDetails() => sealer.Seal(details);

    [Benchmark]
    public ReportDetails OpenDetails() => sealer.Open<ReportDetails>(sealedDetails);
}
