using Harbour.Contracts;

namespace Harbour.Cases.Cases;

// A file the reporter attached, kept sealed; its id is intake's, so a redelivered event stores it once.
public sealed class CaseEvidence
{
    public Guid Id { get; private init; }
    public Guid CaseId { get; private init; }
    public required string FileName { get; init; }
    public required string ContentType { get; init; }
    public long Size { get; private init; }
    public required byte[] SealedContent { get; init; }
    public DateTimeOffset SubmittedAt { get; private init; }

    public static CaseEvidence For(Case c, EvidenceSubmitted evidence) => new()
    {
        Id = evidence.EvidenceId, CaseId = c.Id, FileName = evidence.FileName, ContentType = evidence.ContentType,
        Size = evidence.Size, SealedContent = Convert.FromBase64String(evidence.SealedContent), SubmittedAt = evidence.SubmittedAt,
    };
}

public sealed record EvidenceView(Guid Id, string FileName, string ContentType, long Size);
