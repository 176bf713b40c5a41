using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Outbox;

namespace Harbour.Benchmarks;

// The outbox's work on one event in process: writing it as a row (OutboxMessage.For: JSON, a new id, the trace) and
// reading the row back to publish it (its type found by name, the JSON read), against serialising and deserialising the
// same ReportSubmitted with plain JSON. A row's round trips to PostgreSQL and RabbitMQ are not here: the load suite's
// backlog figure has the dispatcher draining real rows.
public class OutboxBenchmarks
{
    // As intake publishes it: the sealed details about 2 KB of base64.
    readonly ReportSubmitted report = new()
    {
        ReportId = Guid.CreateVersion7(), Reference = "HR-2026-000123", Kind = "named", Categories = ["race"],
        Location = "city-campus/library", ReporterRole = "student", SubmittedAt = DateTimeOffset.UtcNow, ProfileVersion = 1,
        SealedDetails = Convert.ToBase64String(new byte[1_500]),
    };
    string json = "";
    OutboxMessage row = null!;

    [GlobalSetup]
    public void Write()
    {
        json = JsonSerializer.Serialize(report);
        row = OutboxMessage.For(report, TimeProvider.System);
        row.Read();
    }

    [Benchmark(Baseline = true)]
    public ReportSubmitted? PlainJsonBothWays() => JsonSerializer.Deserialize<ReportSubmitted>(JsonSerializer.Serialize(report));

    [Benchmark]
    public OutboxMessage WriteRow() => OutboxMessage.For(report, TimeProvider.System);

    [Benchmark]
    public object ReadRow() => row.Read().Message;
}
