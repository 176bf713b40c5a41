using Harbour.Contracts;

namespace Harbour.Cases.Casework;

// A file the reporter attached, kept sealed; its id is intake's, so a redelivered event stores it once. Like messages, it
// belongs to the report, so it is kept even when it arrives before the report's case opens.
public sealed class CaseEvidence
{
    public Guid Id { get; private init; }
    public Guid ReportId { get; private init; }
    public required string FileName { get; init; }
    public required string ContentType { get; init; }
    public long Size { get; private init; }
    public required byte[] SealedContent { get; init; }
    public DateTimeOffset SubmittedAt { get; private init; }

    public static CaseEvidence For(EvidenceSubmitted evidence) => new()
    {
        Id = evidence.EvidenceId, ReportId = evidence.ReportId, FileName = evidence.FileName, ContentType = evidence.ContentType,
        Size = evidence.Size, SealedContent = Convert.FromBase64String(evidence.SealedContent), SubmittedAt = evidence.SubmittedAt,
    };
}

public sealed record EvidenceView(Guid Id, string FileName, string ContentType, long Size);
