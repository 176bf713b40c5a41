namespace Harbour.Contracts;

/// <summary>An email notifications was asked to send was accepted by the mail server. Published by notifications through its
/// outbox, once per notification; consumed by cases (a department alert's "delivered" on the case timeline).</summary>
/// <param name="NotificationId">The id of what asked for it (for a department alert, DepartmentAlertRequested.AlertId).</param>
/// <param name="Purpose">What the email was for: a code of <see cref="NotificationPurposes"/>.</param>
/// <param name="DeliveredAt">When the mail server accepted it (UTC).</param>
[PublishedBy(ServiceNames.Notifications)]
[ConsumedBy(ServiceNames.Cases)]
public sealed record NotificationDelivered(Guid NotificationId, string Purpose, DateTimeOffset DeliveredAt);

/// <summary>An email notifications was asked to send could not be sent: the mail server refused it through every retry, or there
/// was no usable address. Published by notifications; consumed by cases, which says on the case timeline, in plain words, that
/// the recipient was NOT told.</summary>
/// <param name="NotificationId">The id of what asked for it (for a department alert, DepartmentAlertRequested.AlertId).</param>
/// <param name="Purpose">What the email was for: a code of <see cref="NotificationPurposes"/>.</param>
/// <param name="Reason">Why, in plain words for a case manager (never an address or a body).</param>
/// <param name="FailedAt">When notifications gave up (UTC).</param>
[PublishedBy(ServiceNames.Notifications)]
[ConsumedBy(ServiceNames.Cases)]
public sealed record NotificationFailed(Guid NotificationId, string Purpose, string Reason, DateTimeOffset FailedAt);

/// <summary>What an email was for, in NotificationDelivered and NotificationFailed.</summary>
public static class NotificationPurposes
{
    public const string DepartmentAlert = "department-alert";
}
