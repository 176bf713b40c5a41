namespace Harbour.Contracts;

/// <summary>A case manager informs a department (campus security, a faculty, the Students' Union...) about a case. Published by
/// cases through its outbox (the row keeps no copy once the broker has it); consumed by notifications, which emails it once per
/// <see cref="AlertId"/> in plain text and HTML, with a personal acknowledge link, and answers with NotificationDelivered or
/// NotificationFailed, and later DepartmentAlertAcknowledged.</summary>
/// <param name="AlertId">The alert's id (UUID v7): the key that sends the email once, and the id every answer carries.</param>
/// <param name="Reference">The case's reference, <c>HR-yyyy-nnnnnn</c>.</param>
/// <param name="Department">The department's name in the institution profile (e.g. Campus Security).</param>
/// <param name="To">The department's address from the institution profile; empty when it has none, and then the alert fails
/// (NotificationFailed) rather than vanishing.</param>
/// <param name="Subject">The email's subject, as the case manager saw it before sending.</param>
/// <param name="SealedBody">The email's plain text, exactly as the case manager saw it before sending: the minimum the
/// department needs (place, time window, nature of the incident, what is asked of them) and the reporter's identity only if
/// they agreed. It holds <see cref="LinkPlaceholder"/> once, where the personal acknowledge link goes. Sealed (a JSON string,
/// AES-256-GCM) with the mail key, Harbour:MailKey, which only cases and notifications hold (ServiceDefaults/Security/Sealer.cs):
/// the broker, its error queues and the faults MassTransit publishes never hold the words.</param>
/// <param name="Urgent">Marked urgent by the case manager: the email is sent with high priority.</param>
/// <param name="Institution">The institution's name, which the email is sent in.</param>
/// <param name="SealedAcknowledgeToken">The secret of the personal acknowledge link (43 base64url characters, 256 random bits), made
/// by cases so that a retried send carries the same link, sealed with the mail key like the body; notifications keeps only its
/// SHA-256 hash. Never logged.</param>
/// <param name="ReplyTo">Where the department's answer goes: null for the case-management team's address; for a request for
/// legal advice, the address of the staff member who asked (the advice must not reach a shared mailbox).</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Notifications)]
[FaultConsumedBy(ServiceNames.Notifications)]
public sealed record DepartmentAlertRequested(Guid AlertId, string Reference, string Department, string To, string Subject, string SealedBody,
    bool Urgent, string Institution, string SealedAcknowledgeToken, string? ReplyTo = null)
{
    /// <summary>Where the acknowledge link goes in the body.</summary>
    public const string LinkPlaceholder = "{acknowledge-link}";
}

/// <summary>A department's alert was delivered and not acknowledged within the working days the institution profile gives it.
/// Published by cases (once per alert, by its deadline watch, through its outbox as a secret row); consumed by notifications,
/// which emails the department a reminder with a new acknowledge link (nothing of the case but its reference).</summary>
/// <param name="AlertId">The alert's id (DepartmentAlertRequested.AlertId).</param>
/// <param name="AcknowledgeBy">The UK date the acknowledgement was due by.</param>
/// <param name="SealedAcknowledgeToken">The new link's secret, sealed with the mail key as in DepartmentAlertRequested.</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Notifications)]
public sealed record DepartmentAlertUnacknowledged(Guid AlertId, DateOnly AcknowledgeBy, string SealedAcknowledgeToken);

/// <summary>Someone in the department opened the alert's acknowledge link and confirmed they read it. Published by notifications
/// (once per alert, through its outbox); consumed by cases, which puts it on the case timeline.</summary>
/// <param name="AlertId">The alert's id (DepartmentAlertRequested.AlertId).</param>
/// <param name="AcknowledgedAt">When (UTC).</param>
[PublishedBy(ServiceNames.Notifications)]
[ConsumedBy(ServiceNames.Cases, ServiceNames.Analytics)]
public sealed record DepartmentAlertAcknowledged(Guid AlertId, DateTimeOffset AcknowledgedAt);

/// <summary>A department was informed of a case (an alert or a request for legal advice): its mail server took the alert. For
/// analytics (alerts by department and time to acknowledgement, with DepartmentAlertAcknowledged): published by cases once per
/// alert, when NotificationDelivered reaches it (an alert that could not be sent informed nobody); carries nothing of the
/// alert's text, the reference or anyone's address.</summary>
/// <param name="AlertId">The alert's id (DepartmentAlertRequested.AlertId): the key it is counted once by, and the id its
/// acknowledgement carries.</param>
/// <param name="ReportId">intake's id of the report the case was opened for.</param>
/// <param name="DepartmentId">The department's id in the institution profile (<see cref="Department.Id"/>).</param>
/// <param name="RequestedAt">When the case manager sent it (UTC).</param>
/// <param name="AcknowledgeBy">The UK date the department was asked to acknowledge it by (its AcknowledgeWithin working days).</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Analytics)]
public sealed record DepartmentInformed(Guid AlertId, Guid ReportId, string DepartmentId, DateTimeOffset RequestedAt, DateOnly AcknowledgeBy);
