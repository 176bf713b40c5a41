using System.Security.Claims;

namespace Harbour.Cases.Audit;

// Append-only: the table audit.log belongs to a role of its own, and this service may only read it and add to it; the database
// also refuses updates and deletes of it, and chains every entry to the one before it (AppHost/DatabaseRoles.cs): Hash is
// SHA-256 of the previous entry's hash and this entry's id, time (UTC), actor, action, case, detail and screen, worked out by
// the database just after the entry commits (AuditChaining, within a second; before every check), so an entry edited or
// removed behind its back breaks the chain (AuditTrail.BrokenLinksAsync). PreviousHash and Hash are null until then.
public sealed class AuditEntry
{
    public long Id { get; private set; }
    public DateTimeOffset At { get; private init; }
    public required string Actor { get; init; }
    public required string Action { get; init; }
    public Guid? CaseId { get; private init; }
    public string? Detail { get; private init; }
    // Where it was done: the method and route of the page or API a person used ("POST /cases/staff/{id}"), filled in as the
    // entry is saved (AuditScreen); none for what a message or a background job did.
    public string? Screen { get; set; }
    public byte[]? PreviousHash { get; private set; }
    public byte[]? Hash { get; private set; }

    public static AuditEntry By(ClaimsPrincipal user, string action, TimeProvider clock, Guid? caseId = null,
        string? detail = null) =>
        By(ActorOf(user), action, clock, caseId, detail);

    public static string ActorOf(ClaimsPrincipal user) => $"{user.FindFirstValue("name")} ({user.FindFirstValue("sub")})";

    public static string ActorOf(Staff.StaffUser user) => $"{user.DisplayName} ({user.Id})";

    public static AuditEntry By(string actor, string action, TimeProvider clock, Guid? caseId = null, string? detail = null) =>
        new() { At = clock.GetUtcNow(), Actor = actor, Action = action, CaseId = caseId, Detail = detail };
}
