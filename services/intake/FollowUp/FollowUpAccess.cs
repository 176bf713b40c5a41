using Harbour.Contracts;
using Harbour.Intake.Evidence;
using Harbour.Intake.Reports;
using Harbour.ServiceDefaults.Outbox;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Intake.FollowUp;

// A reporter comes back with reference and receipt. Whatever is wrong (no such reference, wrong receipt), the answer
// is the same, and the work done is the same: a hash is compared either way.
public static class FollowUpAccess
{
    static readonly byte[] NoReceipt = new byte[32];

    public static async Task<Report?> FindAsync(this IntakeDbContext db, string? reference, string? receipt, CancellationToken ct)
    {
        var normalised = FollowUpThrottle.Normalise(reference);
        // A reference holds no control characters (a NUL would not even reach the query): it is simply not one.
        var report = normalised.Length is > 0 and <= 32 && !Limits.HasHiddenCharacters(normalised)
            ? await db.Reports.AsNoTracking().SingleOrDefaultAsync(r => r.Reference == normalised, ct)
            : null;
        var matches = Receipt.Matches(receipt ?? "", report?.ReceiptHash ?? NoReceipt);
        return matches && report?.ReceiptHash is not null ? report : null;
    }

    public static async Task<FollowUpView> ViewAsync(this IntakeDbContext db, Report report, Sealer sealer, CancellationToken ct)
    {
        var messages = await db.Messages.AsNoTracking().Where(m => m.ReportId == report.Id).OrderBy(m => m.At).ToListAsync(ct);
        var files = await db.Evidence.Where(e => e.ReportId == report.Id).OrderBy(e => e.AddedAt).Select(e => e.FileName).ToListAsync(ct);
        var suggested = await db.SuggestedServices.Where(s => s.ReportId == report.Id).OrderBy(s => s.Id).Select(s => s.ServiceId).ToListAsync(ct);
        return new FollowUpView(report.Reference, report.Kind, report.Status, CaseStatuses.ForReporter(report.Status), report.SubmittedAt,
            messages.Select(m => m.Line(sealer)).ToList(), files, suggested.Distinct().ToList(),
            await db.Meetings.Where(m => m.ReportId == report.Id).OrderBy(m => m.StartsAt)
                .Select(m => new MeetingLine(m.StartsAt, m.Minutes, m.Format, m.Where, m.With, m.Cancelled)).ToListAsync(ct));
    }

    // The reporter's message and the event that takes it to cases are saved together. A message sent again with its id (a
    // form posted twice, a retried request) is kept once; null when the id is another report's message (nothing was kept).
    public static async Task<ConversationLine?> PostAsync(this IntakeDbContext db, Report report, string body, Sealer sealer,
        TimeProvider clock, CancellationToken ct, Guid? id = null, IReadOnlyList<Attachment>? attachments = null)
    {
        if (id is { } given && await db.Messages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == given, ct) is { } kept)
            return kept.ReportId == report.Id ? kept.Line(sealer) : null;
        var message = new ConversationMessage
        {
            Id = id ?? Guid.CreateVersion7(), ReportId = report.Id, From = MessageSenders.Reporter,
            SealedBody = sealer.Seal(body.Trim()), At = clock.GetUtcNow(),
        };
        db.Messages.Add(message);
        // Not kept once the broker has it: a redaction then leaves no copy of the text behind.
        db.Outbox.Add(OutboxMessage.For(new ReporterWrote(message.Id, report.Id, report.Reference, message.SealedBody, message.At), clock, secret: true));
        foreach (var attachment in attachments ?? [])
        {
            var evidence = EvidenceFile.Seal(report.Id, attachment, sealer, clock);
            db.Evidence.Add(evidence);
            db.Outbox.Add(OutboxMessage.For(evidence.ToSubmitted(report.Reference), clock));
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // The same id at the same moment: the other post was saved first.
            db.ChangeTracker.Clear();
            var first = await db.Messages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == message.Id, ct)
                ?? throw new InvalidOperationException("A message id was taken, then not found.", ex);
            return first.ReportId == report.Id ? first.Line(sealer) : null;
        }
        return new ConversationLine(message.From, body.Trim(), message.At);
    }

    public static string? CheckMessage(string? body) =>
        string.IsNullOrWhiteSpace(body) ? "Write your message." :
        Limits.IsOver(body, Limits.Message) ? $"Keep a message under {Limits.Message:N0} characters." : null;
}
