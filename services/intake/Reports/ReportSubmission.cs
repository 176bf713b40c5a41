using Harbour.ServiceDefaults.Messaging;
using Harbour.ServiceDefaults.Security;

namespace Harbour.Intake.Reports;

public sealed record SubmittedReport(string Reference, string Kind, string? Receipt, DateTimeOffset SubmittedAt);

public static class ReportSubmission
{
    // The report and the event announcing it are saved in one transaction (one SaveChanges), so an
    // acknowledged report always reaches the broker, however long the broker is away.
    public static async Task<SubmittedReport> SubmitAsync(this IntakeDbContext db, ReportRequest request, Sealer sealer,
        TimeProvider clock, ILogger log, CancellationToken cancellationToken)
    {
        var number = await db.NextReportNumberAsync(cancellationToken);
        var (report, receipt) = Report.Accept(request, number, sealer, clock);
        db.Reports.Add(report);
        db.Outbox.Add(OutboxMessage.For(report.ToSubmitted(), clock));
        await db.SaveChangesAsync(cancellationToken);
        log.LogInformation("Report {Reference} accepted ({Kind})", report.Reference, report.Kind);
        return new SubmittedReport(report.Reference, report.Kind, receipt, report.SubmittedAt);
    }
}
