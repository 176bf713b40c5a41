namespace Harbour.Cases.Disclosures;

// A report a case manager recorded for someone who told them by phone, by email or in person. It goes to intake as a report
// (DisclosureRecorded) and comes back accepted (a reference, a receipt for the reporter, and a case like any other) or refused
// (each problem named). What was typed is kept sealed until it is accepted, so a refused form comes back as it was typed.
public sealed class Disclosure
{
    public Guid Id { get; init; }
    public required string Channel { get; init; }
    // The report's fields as the report API takes them (JSON), sealed; cleared once intake has kept it.
    public string? SealedReport { get; set; }
    public required string RecordedById { get; init; }
    public required string RecordedBy { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public string Status { get; set; } = DisclosureStatuses.Pending;
    public string? Reference { get; set; }
    public Guid? ReportId { get; set; }
    // The reporter's receipt, sealed, until the case manager who recorded it has seen it once.
    public string? SealedReceipt { get; set; }
    // intake's problems (field: messages), sealed: they can quote what was typed.
    public string? SealedProblems { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }
}

public static class DisclosureStatuses
{
    public const string Pending = "pending", Accepted = "accepted", Refused = "refused";
}

/// <summary>A disclosure as its recorder sees it (<c>GET /api/cases/disclosures/{id}</c>): status (pending, accepted or refused),
/// the reference once accepted, the receipt (shown once, to pass on to the reporter; null afterwards or when it could not be
/// made), the problems (report API field names with messages) when refused, what was typed (until it is kept), and when it was
/// recorded (UTC).</summary>
public sealed record DisclosureView(Guid Id, string Channel, string Status, string? Reference, string? Receipt,
    IReadOnlyDictionary<string, string[]> Problems, IReadOnlyDictionary<string, object?> Typed, DateTimeOffset RecordedAt);
