namespace Harbour.Contracts;

// Where a case stands, in the words a reporter sees: received, with-case-manager, action-taken or closed.
public sealed record CaseStatusChanged(Guid ReportId, string Reference, string Status, DateTimeOffset ChangedAt);
