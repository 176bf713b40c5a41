namespace Harbour.Contracts;

// The fields of a report a case manager can redact: those where people write in their own words (codes chosen from a list
// hold nothing to redact). Redacting empties the field in every copy; the case shows that it was redacted, and the timeline why.
public static class RedactableFields
{
    public const string Description = "description";

    sealed record Field(string Code, string Label, Func<ReportDetails, string?> Read, Func<ReportDetails, ReportDetails> Empty);

    static readonly Field[] Fields =
    [
        new(Description, "What happened", d => d.Description, d => d with { Description = "" }),
        new("occurred-when", "When (in their words)", d => d.OccurredWhen, d => d with { OccurredWhen = null }),
        new("contact-name", "Name", d => d.ContactName, d => d with { ContactName = null }),
        new("contact-email", "Email address", d => d.ContactEmail, d => d with { ContactEmail = null }),
        new("contact-phone", "Phone number", d => d.ContactPhone, d => d with { ContactPhone = null }),
        new("contact-times", "When to contact them", d => d.ContactTimes, d => d with { ContactTimes = null }),
        new("meeting-times", "When they can meet", d => d.MeetingTimes, d => d with { MeetingTimes = null }),
    ];

    public static readonly Terms Terms = new([.. Fields.Select(f => new Term(f.Code, f.Label))]);

    // The report's details without the field (an unknown code changes nothing).
    public static ReportDetails Without(this ReportDetails details, string field) =>
        Fields.FirstOrDefault(f => f.Code == field) is { } found ? found.Empty(details) : details;

    // What the field holds (null for an unknown code).
    public static string? Value(this ReportDetails details, string field) => Fields.FirstOrDefault(f => f.Code == field)?.Read(details);

    // Whether the field holds anything to redact.
    public static bool Holds(this ReportDetails details, string field) => !string.IsNullOrEmpty(details.Value(field));
}
