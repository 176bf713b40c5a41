namespace Harbour.Contracts;

/// <summary>A case was given to a case manager or a team. Published by cases; consumed by notifications, which emails the
/// assignee "a case has been assigned to you" with the reference and a link only (once per <see cref="AssignmentId"/>).
/// Carries nothing of the report.</summary>
/// <param name="AssignmentId">This assignment's id (UUID v7): the key that sends the email once.</param>
/// <param name="Reference">The case's reference, <c>HR-yyyy-nnnnnn</c>.</param>
/// <param name="AssigneeEmail">The assignee's work address; null when the case was given to a team without a person.</param>
/// <param name="AssigneeName">The assignee's display name; null for a team.</param>
/// <param name="Team">The specialism team the case was given to, if any (a code of the institution profile's specialisms).</param>
/// <param name="AssignedBy">The display name of whoever assigned it.</param>
/// <param name="AssignedAt">When (UTC).</param>
/// <param name="ToThemselves">A case manager took the case themselves: nobody needs telling.</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Notifications)]
public sealed record CaseAssigned(Guid AssignmentId, string Reference, string? AssigneeEmail, string? AssigneeName, string? Team,
    string AssignedBy, DateTimeOffset AssignedAt, bool ToThemselves = false);
