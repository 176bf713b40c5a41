namespace Harbour.Contracts;

// The reporter wrote to their case manager from the follow-up page. The text travels sealed.
public sealed record ReporterMessagePosted(Guid MessageId, Guid ReportId, string Reference, string SealedBody, DateTimeOffset PostedAt);
