using System.Security.Claims;

namespace Harbour.Cases.Audit;

// Append-only: the database refuses updates and deletes of this table (see the Initial migration).
public sealed class AuditEntry
{
    public long Id { get; private set; }
    public DateTimeOffset At { get; private init; }
    public required string Actor { get; init; }
    public required string Action { get; init; }
    public Guid? CaseId { get; private init; }
    public string? Detail { get; private init; }

    public static AuditEntry By(ClaimsPrincipal user, string action, TimeProvider clock, Guid? caseId = null,
        string? detail = null) =>
        By(ActorOf(user), action, clock, caseId, detail);

    public static string ActorOf(ClaimsPrincipal user) => $"{user.FindFirstValue("name")} ({user.FindFirstValue("sub")})";

    public static string ActorOf(Staff.StaffUser user) => $"{user.DisplayName} ({user.Id})";

    public static AuditEntry By(string actor, string action, TimeProvider clock, Guid? caseId = null, string? detail = null) =>
        new() { At = clock.GetUtcNow(), Actor = actor, Action = action, CaseId = caseId, Detail = detail };
}
