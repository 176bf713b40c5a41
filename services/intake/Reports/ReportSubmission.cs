using Harbour.Intake.Evidence;
using Harbour.ServiceDefaults.Messaging;
using Harbour.ServiceDefaults.Security;

namespace Harbour.Intake.Reports;

public sealed record SubmittedReport(string Reference, string Kind, string? Receipt, DateTimeOffset SubmittedAt);

public static class ReportSubmission
{
    // The report and the event announcing it are saved in one transaction (one SaveChanges), so an
    // acknowledged report always reaches the broker, however long the broker is away.
    public static async Task<SubmittedReport> SubmitAsync(this IntakeDbContext db, ReportRequest request, Sealer sealer,
        TimeProvider clock, ILogger log, CancellationToken cancellationToken, IReadOnlyList<Attachment>? attachments = null)
    {
        var number = await db.NextReportNumberAsync(cancellationToken);
        var (report, receipt) = Report.Accept(request, number, sealer, clock);
        db.Reports.Add(report);
        db.Outbox.Add(OutboxMessage.For(report.ToSubmitted(), clock));
        foreach (var attachment in attachments ?? [])
        {
            var evidence = EvidenceFile.Seal(report.Id, attachment, sealer, clock);
            db.Evidence.Add(evidence);
            db.Outbox.Add(OutboxMessage.For(evidence.ToSubmitted(report.Reference), clock));
        }
        await db.SaveChangesAsync(cancellationToken);
        log.LogInformation("Report {Reference} accepted ({Kind}, {Files} files)", report.Reference, report.Kind, attachments?.Count ?? 0);
        return new SubmittedReport(report.Reference, report.Kind, receipt, report.SubmittedAt);
    }
}
