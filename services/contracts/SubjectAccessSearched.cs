namespace Harbour.Contracts;

/// <summary>An Admin searched what notifications holds about a person, for a subject access request (UK GDPR Article 15).
/// Published by notifications through its outbox; consumed by cases, which keeps the tamper-evident audit trail and adds the
/// search to it once per <see cref="SearchId"/> (action <c>subject-access.notifications-searched</c>), as it audits its own
/// search: who, when, by what and how much was found, never what was searched for.</summary>
/// <param name="SearchId">The search's id (UUID v7): the audit entry is added once per id, however often this is delivered.</param>
/// <param name="StaffId">The Admin's staff id (the staff token's <c>sub</c>).</param>
/// <param name="StaffName">The Admin's display name (the staff token's <c>name</c>).</param>
/// <param name="ByEmail">Whether an email address was searched for (never the address itself).</param>
/// <param name="References">How many case references were searched for (never which).</param>
/// <param name="Emails">How many emails were found (delivery-log lines and failed attempts).</param>
/// <param name="Alerts">How many department alerts were found.</param>
/// <param name="At">When the search was made (UTC).</param>
[PublishedBy(ServiceNames.Notifications)]
[ConsumedBy(ServiceNames.Cases)]
public sealed record SubjectAccessSearched(Guid SearchId, string StaffId, string StaffName, bool ByEmail, int References, int Emails, int Alerts,
    DateTimeOffset At);
