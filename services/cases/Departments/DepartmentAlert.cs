using Harbour.Contracts;

namespace Harbour.Cases.Departments;

// A department informed about a case: what was sent (sealed: it may hold the reporter's identity), to whom, and where it
// stands: sent, delivered to the mail server, acknowledged through the link, or failed (the department was NOT told).
public sealed class DepartmentAlert
{
    public Guid Id { get; init; }
    public Guid CaseId { get; init; }
    public required string DepartmentId { get; init; }
    // Why the department is written to: to inform them, or to ask for legal advice (AlertPurposes).
    public string Purpose { get; init; } = AlertPurposes.Inform;
    public required string Department { get; init; }
    public required string Recipient { get; init; }
    public required string Subject { get; init; }
    // Rewritten only by a redaction of what it copied from the report (Redactions).
    public required string SealedBody { get; set; }
    public bool Urgent { get; init; }
    // The reporter agreed that this department is told who they are (recorded on the timeline too).
    public bool IdentityShared { get; init; }
    public required string RequestedBy { get; init; }
    // The staff account that sent it: who gets the follow-up task when nobody has the case.
    public required string RequestedById { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
    // The UK date the department is to acknowledge by (the profile's working days for it).
    public DateOnly AcknowledgeBy { get; init; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public DateTimeOffset? FailedAt { get; set; }
    public string? FailureReason { get; set; }
    public DateTimeOffset? RemindedAt { get; set; }

    // A delivery outranks a failure announced before it (an alert sent again from the error queue).
    public string State => AcknowledgedAt is not null ? AlertStates.Acknowledged
        : DeliveredAt is not null ? AlertStates.Delivered
        : FailedAt is not null ? AlertStates.Failed
        : AlertStates.Sent;
}

/// <summary>Why a department is written to: inform (they must know or act) or legal-advice (a request for advice, whose answer is
/// kept in the case's legal compartment).</summary>
public static class AlertPurposes
{
    public const string Inform = "inform", LegalAdvice = "legal-advice";
    public static readonly Terms Terms = new(new(Inform, "Inform"), new(LegalAdvice, "Ask for legal advice"));
}

/// <summary>Where a department alert stands: sent (handed to notifications), delivered (the mail server accepted it),
/// acknowledged (someone in the department confirmed through the link) or failed (the department was NOT told).</summary>
public static class AlertStates
{
    public const string Sent = "sent", Delivered = "delivered", Acknowledged = "acknowledged", Failed = "failed";
}

/// <summary>A department alert as a case manager reads it on the case (<c>GET /api/cases/{reference}</c>, Work.Alerts). Purpose: an
/// AlertPurposes code. State:
/// an AlertStates code; Body: the text as sent, with the link's place named; times are UTC; AcknowledgeBy is a UK date.</summary>
public sealed record AlertView(Guid Id, string Purpose, string Department, string Recipient, string Subject, string Body, bool Urgent, bool IdentityShared,
    string State, DateTimeOffset RequestedAt, string RequestedBy, DateOnly AcknowledgeBy, DateTimeOffset? DeliveredAt,
    DateTimeOffset? AcknowledgedAt, DateTimeOffset? FailedAt, string? FailureReason, DateTimeOffset? RemindedAt);

/// <summary>Inform a department (<c>POST /api/cases/{reference}/alerts</c>, and <c>.../alerts/preview</c> to see the email first).
/// AlertId: a UUID the caller makes, so that the same alert sent twice is sent once (optional: one is made). DepartmentId: a
/// department of the current institution profile. Text: what the department needs and what is asked of them, 1 to 5,000
/// characters (start from <c>GET .../alerts/draft?department=</c>). Purpose: inform (if left out) or legal-advice. Urgent: sent with high priority. IdentityShared: the reporter
/// agreed that this department is told their name and contact details (refused for a report with none); the consent is recorded
/// on the case. Checked: the fingerprint of the preview the case manager checked (optional): if the email would now differ (the
/// profile was edited meanwhile), it is refused (400, field checked) rather than sent unseen. Text with control characters or
/// direction overrides is refused. The same alertId sent again with anything different is refused (field alertId).</summary>
public sealed record InformRequest(Guid? AlertId, string? DepartmentId, string? Text, bool Urgent = false, bool IdentityShared = false,
    string? Checked = null, string? Purpose = null);

/// <summary>An alert as it will be sent: the address, the subject and the whole plain-text body, with the acknowledge link's
/// place marked as <c>{acknowledge-link}</c>; Fingerprint: SHA-256 of the three (hex), to send back as InformRequest.Checked.</summary>
public sealed record AlertPreview(string Department, string To, string Subject, string Body, string Fingerprint)
{
    public static AlertPreview Of(string department, string to, string subject, string body) => new(department, to, subject, body,
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{to}\n{subject}\n{body}"))));
}

public static class AlertViews
{
    public static AlertView ToView(this DepartmentAlert a, ServiceDefaults.Security.Sealer sealer) => new(a.Id, a.Purpose, a.Department, a.Recipient, a.Subject,
        AlertDraft.Shown(sealer.Open<string>(a.SealedBody)), a.Urgent, a.IdentityShared, a.State, a.RequestedAt, a.RequestedBy, a.AcknowledgeBy, a.DeliveredAt,
        a.AcknowledgedAt, a.FailedAt, a.FailureReason, a.RemindedAt);
}
