using Harbour.Contracts;

namespace Harbour.Testing;

public static class Reports
{
    // A ReportSubmitted as intake would publish it; the sealed details are opaque to every consumer but cases.
    public static ReportSubmitted Submitted(string sealedDetails = "v1.sealed", params string[] categories) => new()
    {
        ReportId = Guid.NewGuid(),
        Reference = $"HR-2026-{Random.Shared.Next(100_000, 999_999)}",
        Kind = "anonymous",
        Categories = categories.Length > 0 ? categories : ["race"],
        Location = "city-campus/library",
        ReporterRole = "student",
        SubmittedAt = new DateTimeOffset(2026, 3, 14, 10, 0, 0, TimeSpan.Zero),
        ProfileVersion = 1,
        SealedDetails = sealedDetails,
    };
}
