namespace Harbour.Contracts;

// A case manager wrote to the reporter. The text travels sealed, like the report's narrative.
public sealed record ReporterMessageSent(Guid MessageId, Guid ReportId, string Reference, string SealedBody, DateTimeOffset SentAt);
