using Harbour.Intake.Evidence;
using Harbour.ServiceDefaults.Outbox;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Harbour.Intake.Reports;

/// <summary>What a reporter is told when a report is kept.</summary>
/// <param name="Reference">The report's reference, <c>HR-yyyy-nnnnnn</c>: give it when asking about the report.</param>
/// <param name="Kind">How it was made: anonymous, named or meeting.</param>
/// <param name="Receipt">The secret that opens the report at /follow-up: 128 random bits as 26 Crockford base32 characters in
/// groups of four joined by hyphens (case and hyphens do not matter when typed back); shown once, stored only
/// as a hash; null when the report had already been sent.</param>
/// <param name="SubmittedAt">When it was kept (UTC).</param>
public sealed record SubmittedReport(string Reference, string Kind, string? Receipt, DateTimeOffset SubmittedAt);

// AlreadySent: the submission id was seen before; Report is the earlier report, without its receipt (shown once).
public sealed record SubmissionResult(SubmittedReport Report, bool AlreadySent);

public static class ReportSubmission
{
    public const string SubmissionIndex = "ix_reports_submission_id";

    // The report and the event announcing it are saved in one transaction (one SaveChanges), so an
    // acknowledged report always reaches the broker, however long the broker is away.
    public static async Task<SubmissionResult> SubmitAsync(this IntakeDbContext db, ReportRequest request, int profileVersion, string channel, Sealer sealer,
        TimeProvider clock, ILogger log, CancellationToken cancellationToken, IReadOnlyList<Attachment>? attachments = null)
    {
        if (await db.EarlierAsync(request.SubmissionGuid, cancellationToken) is { } earlier) return earlier;
        var number = await db.NextReportNumberAsync(cancellationToken);
        var (report, receipt) = Report.Accept(request, number, profileVersion, channel, sealer, clock);
        db.Reports.Add(report);
        db.Outbox.Add(OutboxMessage.For(report.ToSubmitted(), clock));
        foreach (var attachment in attachments ?? [])
        {
            var evidence = EvidenceFile.Seal(report.Id, attachment, sealer, clock);
            db.Evidence.Add(evidence);
            db.Outbox.Add(OutboxMessage.For(evidence.ToSubmitted(report.Reference), clock));
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: SubmissionIndex })
        {
            // The same report sent twice at once: the other send was saved first.
            db.ChangeTracker.Clear();
            return await db.EarlierAsync(request.SubmissionGuid, cancellationToken)
                ?? throw new InvalidOperationException("A report with this submission id was saved, then not found.");
        }
        log.LogInformation("Report {Reference} accepted ({Kind}, {Files} files)", report.Reference, report.Kind, attachments?.Count ?? 0);
        return new(new SubmittedReport(report.Reference, report.Kind, receipt, report.SubmittedAt), AlreadySent: false);
    }

    static async Task<SubmissionResult?> EarlierAsync(this IntakeDbContext db, Guid? submissionId, CancellationToken cancellationToken)
    {
        if (submissionId is null) return null;
        var earlier = await db.Reports.AsNoTracking().Where(r => r.SubmissionId == submissionId)
            .Select(r => new SubmittedReport(r.Reference, r.Kind, null, r.SubmittedAt)).SingleOrDefaultAsync(cancellationToken);
        return earlier is null ? null : new(earlier, AlreadySent: true);
    }
}
