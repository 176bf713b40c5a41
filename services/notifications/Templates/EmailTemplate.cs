namespace Harbour.Notifications.Templates;

// The institution's own words for one email (an EmailPurposes code): its subject and plain text with {placeholders}. An
// email without a row here uses the default.
public sealed class EmailTemplate
{
    public required string Purpose { get; init; }
    public required string Subject { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    // The admin's display name.
    public required string UpdatedBy { get; set; }
}
