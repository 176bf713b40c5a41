using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;

namespace Harbour.Intake.Reports;

// What intake keeps of a report. Narrative and identity are sealed; the receipt is kept only as a hash.
public sealed class Report
{
    public const string NumberSequence = "report_numbers";

    public Guid Id { get; private init; }
    public required string Reference { get; init; }
    public required string Kind { get; init; }
    public required List<string> Categories { get; init; }
    public required string Location { get; init; }
    public required string ReporterRole { get; init; }
    public string SealedDetails { get; private set; } = "";
    public byte[]? ReceiptHash { get; private init; }
    public DateTimeOffset SubmittedAt { get; private init; }
    // The profile version the report was validated against and its due dates shown from: every service plans it alike.
    public int ProfileVersion { get; private init; }
    // Unique when given: a report sent again (a reloaded page, a retried request) is kept once.
    public Guid? SubmissionId { get; private init; }
    // What was sent with that id, as a keyed hash (Sealer.Fingerprint): the same id with other content is another report.
    public byte[]? SubmissionFingerprint { get; private init; }
    // What the reporter sees on the follow-up page, as cases last said (received until it says otherwise).
    public string Status { get; private set; } = CaseStatuses.Received;
    public DateTimeOffset? StatusChangedAt { get; private set; }
    // How it reached Harbour (ReportChannels): the form, the API, or a disclosure a case manager recorded.
    public string Channel { get; private init; } = ReportChannels.Form;

    public static (Report Report, string? Receipt) Accept(ReportRequest request, ReportDetails details, byte[]? fingerprint, long number, int profileVersion,
        string channel, Sealer sealer, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        // Every reporter gets a receipt to follow their report online; for an anonymous one it is the only way back.
        var receipt = Receipt.New();
        var report = new Report
        {
            Id = Guid.CreateVersion7(now),
            Reference = $"HR-{now.Year}-{number:000000}",
            Kind = request.Kind!,
            Categories = request.Categories.Distinct().ToList(),
            Location = request.Location!,
            ReporterRole = request.ReporterRole!,
            SealedDetails = sealer.Seal(details),
            ReceiptHash = receipt.Hash,
            SubmittedAt = now,
            ProfileVersion = profileVersion,
            SubmissionId = request.SubmissionGuid,
            SubmissionFingerprint = fingerprint,
            Channel = channel,
        };
        return (report, receipt.Text);
    }

    // Who it happened to and the month it happened in go in the clear (closed answers, never the day): analytics counts them.
    public ReportSubmitted ToSubmitted(ReportDetails details) => new()
    {
        ReportId = Id,
        Reference = Reference,
        Kind = Kind,
        Categories = Categories,
        Location = Location,
        ReporterRole = ReporterRole,
        SubmittedAt = SubmittedAt,
        ProfileVersion = ProfileVersion,
        SealedDetails = SealedDetails,
        Channel = Channel,
        Relation = details.Relation,
        OccurredIn = details.OccurredOn?.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
    };

    // A field the case team redacted (CaseContentRedacted): emptied here too, the sealed original overwritten.
    public void Redact(string field, Sealer sealer) => SealedDetails = sealer.Seal(sealer.Open<ReportDetails>(SealedDetails).Without(field));
}
