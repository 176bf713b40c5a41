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

public enum SubmissionOutcome
{
    // A new report, kept now.
    Kept,
    // The same report sent again with its submission id: kept once; Report is the earlier one, without its receipt.
    AlreadySent,
    // The submission id was used before for a report with other content: nothing was kept, and Report (the earlier
    // report) is not the sender's to be told.
    IdTaken,
}

public sealed record SubmissionResult(SubmittedReport Report, SubmissionOutcome Outcome);

public static class ReportSubmission
{
    public const string SubmissionIndex = "ix_reports_submission_id";

    // The report and the event announcing it are saved in one transaction (one SaveChanges), so an
    // acknowledged report always reaches the broker, however long the broker is away.
    public static async Task<SubmissionResult> SubmitAsync(this IntakeDbContext db, ReportRequest request, int profileVersion, string channel, Sealer sealer,
        TimeProvider clock, ILogger log, CancellationToken cancellationToken, IReadOnlyList<Attachment>? attachments = null)
    {
        var sent = request.SubmissionGuid is null ? null : AsSent(request, attachments);
        var fingerprint = sent is null ? null : sealer.Fingerprint(sent);
        if (await db.EarlierAsync(request.SubmissionGuid, sent, sealer, cancellationToken) is { } earlier) return earlier;
        var number = await db.NextReportNumberAsync(cancellationToken);
        var details = request.ToDetails();
        var (report, receipt) = Report.Accept(request, details, fingerprint, number, profileVersion, channel, sealer, clock);
        db.Reports.Add(report);
        db.Outbox.Add(OutboxMessage.For(report.ToSubmitted(details), clock));
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
            return await db.EarlierAsync(request.SubmissionGuid, sent, sealer, cancellationToken)
                ?? throw new InvalidOperationException("A report with this submission id was saved, then not found.");
        }
        log.LogInformation("Report {Reference} accepted ({Kind}, {Files} files)", report.Reference, report.Kind, attachments?.Count ?? 0);
        return new(new SubmittedReport(report.Reference, report.Kind, receipt, report.SubmittedAt), SubmissionOutcome.Kept);
    }

    static async Task<SubmissionResult?> EarlierAsync(this IntakeDbContext db, Guid? submissionId, byte[]? sent, Sealer sealer, CancellationToken cancellationToken)
    {
        if (submissionId is null) return null;
        var earlier = await db.Reports.AsNoTracking().Where(r => r.SubmissionId == submissionId)
            .Select(r => new { Report = new SubmittedReport(r.Reference, r.Kind, null, r.SubmittedAt), r.SubmissionFingerprint })
            .SingleOrDefaultAsync(cancellationToken);
        if (earlier is null) return null;
        // Reports kept before fingerprints existed count as the same.
        var same = earlier.SubmissionFingerprint is null || sent is null || sealer.IsFingerprintOf(earlier.SubmissionFingerprint, sent);
        return new(earlier.Report, same ? SubmissionOutcome.AlreadySent : SubmissionOutcome.IdTaken);
    }

    // Every answer (the submission id aside, line breaks as one) and every file as sent, in a fixed order: what is fingerprinted.
    static byte[] AsSent(ReportRequest request, IReadOnlyList<Attachment>? attachments)
    {
        var answers = request.AsFormFields().Where(f => f.Key != "submissionId")
            .Select(f => $"{f.Key}={f.Value.ReplaceLineEndings("\n")}").Order(StringComparer.Ordinal);
        var files = (attachments ?? []).Select(a => "file=" + Convert.ToHexString(a.Sent));
        return System.Text.Encoding.UTF8.GetBytes(string.Join("\0", answers.Concat(files)));
    }
}
