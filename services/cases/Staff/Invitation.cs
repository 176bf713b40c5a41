using Harbour.ServiceDefaults.Security;

namespace Harbour.Cases.Staff;

// An invitation to join the staff app: the account it will make (name, roles, teams) and the hash of the secret its link
// carries. Single use, expiring (Staff:InvitationLifetime, 7 days). While one waits, inviting the same address again
// changes nothing (a form sent twice invites once); "send again" replaces it with a new link.
public sealed class Invitation
{
    public Guid Id { get; private init; }
    public required string Email { get; init; }
    public required string DisplayName { get; init; }
    public List<string> Roles { get; init; } = [];
    public List<string> Teams { get; init; } = [];
    public bool TeamLead { get; init; }
    public required byte[] TokenHash { get; init; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset InvitedAt { get; private init; }
    public DateTimeOffset? AcceptedAt { get; private set; }
    public required string InvitedBy { get; init; }

    public static (Invitation Invitation, string Token) New(string email, string displayName, IEnumerable<string> roles, IEnumerable<string> teams,
        bool teamLead, string invitedBy, TimeSpan lifetime, TimeProvider clock)
    {
        var token = SecretTokens.New();
        return (new Invitation
        {
            Id = Guid.CreateVersion7(), Email = email, DisplayName = displayName, Roles = [.. roles], Teams = [.. teams], TeamLead = teamLead,
            InvitedBy = invitedBy, TokenHash = Hash(token), InvitedAt = clock.GetUtcNow(), ExpiresAt = clock.GetUtcNow() + lifetime,
        }, token);
    }

    public Contracts.StaffInvited ToInvited(string token, Sealer mail) => new(Id, Email, DisplayName, mail.Seal(token), ExpiresAt);

    // Sending again makes a new invitation with a new link; this one's link stops working.
    public void Supersede(TimeProvider clock) => ExpiresAt = clock.GetUtcNow();

    public bool IsOpen(TimeProvider clock) => AcceptedAt is null && clock.GetUtcNow() < ExpiresAt;

    public void Accept(TimeProvider clock) => AcceptedAt = clock.GetUtcNow();

    public static byte[] Hash(string token) => SecretTokens.Hash(token);
}
