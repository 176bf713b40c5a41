namespace Harbour.Contracts;

/// <summary>A file a reporter attached (a photo, a screenshot, a PDF), with the report or a later message, its metadata
/// already stripped by intake. Published by intake; consumed by cases, which keeps it on the report's case (or until the
/// case opens).</summary>
/// <param name="EvidenceId">The file's id (UUID v7); the key that keeps it once.</param>
/// <param name="ReportId">intake's id of the report it belongs to.</param>
/// <param name="Reference">The report's reference, <c>HR-yyyy-nnnnnn</c>.</param>
/// <param name="FileName">The name intake gave it, <c>evidence-N.jpg|png|pdf</c>; never the reporter's own file name.</param>
/// <param name="ContentType"><c>image/jpeg</c>, <c>image/png</c> or <c>application/pdf</c>, from the content, not the name.</param>
/// <param name="Size">Bytes before sealing; at most 5 MiB.</param>
/// <param name="SealedContent">Base64 of the sealed bytes (nonce, tag, ciphertext); only intake and cases can open it.</param>
/// <param name="SubmittedAt">When intake received it (UTC).</param>
[PublishedBy(ServiceNames.Intake)]
[ConsumedBy(ServiceNames.Cases)]
public sealed record EvidenceSubmitted(Guid EvidenceId, Guid ReportId, string Reference, string FileName, string ContentType, long Size,
    string SealedContent, DateTimeOffset SubmittedAt);
