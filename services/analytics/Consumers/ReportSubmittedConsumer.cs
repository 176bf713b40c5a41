using System.Globalization;
using Harbour.Analytics.Figures;
using Harbour.Contracts;
using Harbour.Profile;
using MassTransit;

namespace Harbour.Analytics.Consumers;

// A report made: kept once as a fact, under its pseudonym, with its UK date and hour (never the moment) and the month it
// happened in (never the day), and added to the tallies with it.
public sealed class ReportSubmittedConsumer(AnalyticsDbContext db, Pseudonyms pseudonyms, ILogger<ReportSubmittedConsumer> log)
    : IConsumer<ReportSubmitted>
{
    public async Task Consume(ConsumeContext<ReportSubmitted> context)
    {
        var report = context.Message;
        var key = pseudonyms.Of(report.ReportId);
        var inUk = report.SubmittedAt.InUk();
        var fact = new ReportFact
        {
            CaseKey = key,
            SubmittedOn = DateOnly.FromDateTime(inUk.DateTime),
            SubmittedHour = inUk.Hour,
            Kind = report.Kind,
            Categories = [.. report.Categories.Distinct()],
            Location = report.Location,
            ReporterRole = report.ReporterRole,
            Channel = report.Channel,
            Relation = report.Relation,
            OccurredIn = DateOnly.TryParseExact(report.OccurredIn, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)
                ? month : null,
        };
        if (!await db.KeepOnceAsync(pseudonyms, fact, r => r.CaseKey == key, context.CancellationToken,
                () => ReportTallies.AddAsync(db, key, context.CancellationToken)))
            log.LogInformation("Report {ReportId} already counted; duplicate ignored", report.ReportId);
    }
}
