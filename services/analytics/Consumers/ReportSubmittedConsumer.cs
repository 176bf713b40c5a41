using Harbour.Analytics.Counts;
using Harbour.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Analytics.Consumers;

public sealed class ReportSubmittedConsumer(AnalyticsDbContext db, ILogger<ReportSubmittedConsumer> log)
    : IConsumer<ReportSubmitted>
{
    public async Task Consume(ConsumeContext<ReportSubmitted> context)
    {
        var report = context.Message;
        var month = new DateOnly(report.SubmittedAt.UtcDateTime.Year, report.SubmittedAt.UtcDateTime.Month, 1);
        (string Dimension, string Value)[] counts =
        [
            (Dimensions.All, "reports"),
            (Dimensions.Kind, report.Kind),
            (Dimensions.Location, report.Location),
            (Dimensions.ReporterRole, report.ReporterRole),
            (Dimensions.Channel, report.Channel),
            .. report.Categories.Distinct().Select(category => (Dimensions.Category, category)),
        ];
        var dimensions = counts.Select(c => c.Dimension).ToArray();
        var values = counts.Select(c => c.Value).ToArray();

        // One statement: the report is claimed and counted together, or (already claimed) not at all.
        var counted = await db.Database.ExecuteSqlInterpolatedAsync($"""
            WITH claimed AS (
                INSERT INTO counted_reports (report_id, counted_at) VALUES ({report.ReportId}, now())
                ON CONFLICT DO NOTHING RETURNING report_id)
            INSERT INTO report_counts (month, dimension, value, count)
            SELECT {month}, d.dimension, d.value, 1
            FROM claimed CROSS JOIN unnest({dimensions}::text[], {values}::text[]) AS d(dimension, value)
            ON CONFLICT (month, dimension, value) DO UPDATE SET count = report_counts.count + 1
            """, context.CancellationToken);

        if (counted == 0) log.LogInformation("Report {ReportId} already counted; duplicate ignored", report.ReportId);
    }
}
