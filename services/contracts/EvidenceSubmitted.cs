namespace Harbour.Contracts;

// A file a reporter attached (a photo, a screenshot, a PDF), its metadata already stripped by intake. The content
// travels sealed (base64 of the sealed bytes), so only intake and cases can read it.
public sealed record EvidenceSubmitted(Guid EvidenceId, Guid ReportId, string Reference, string FileName, string ContentType, long Size,
    string SealedContent, DateTimeOffset SubmittedAt);
