using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Intake.Evidence;

// A file attached to a report, stored sealed like the narrative.
public sealed class EvidenceFile
{
    public Guid Id { get; private init; }
    public Guid ReportId { get; private init; }
    public required string FileName { get; init; }
    public required string ContentType { get; init; }
    public long Size { get; private init; }
    public required byte[] SealedContent { get; init; }
    public DateTimeOffset AddedAt { get; private init; }

    public static EvidenceFile Seal(Guid reportId, Attachment file, Sealer sealer, TimeProvider clock) => new()
    {
        Id = Guid.CreateVersion7(), ReportId = reportId, FileName = file.FileName, ContentType = file.ContentType,
        Size = file.Content.Length, SealedContent = sealer.SealBytes(file.Content), AddedAt = clock.GetUtcNow(),
    };

    public EvidenceSubmitted ToSubmitted(string reference) =>
        new(Id, ReportId, reference, FileName, ContentType, Size, Convert.ToBase64String(SealedContent), AddedAt);
}

public static class EvidenceNumbering
{
    // Files are numbered per report (evidence-1.jpg, evidence-2.pdf...): files sent later, with a follow-up message,
    // carry on from those sent with the report.
    public static async Task<int> NextEvidenceNumberAsync(this IntakeDbContext db, Guid reportId, CancellationToken ct) =>
        await db.Evidence.CountAsync(e => e.ReportId == reportId, ct) + 1;
}
