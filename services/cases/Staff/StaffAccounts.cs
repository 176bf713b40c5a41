using System.Security.Claims;
using Harbour.Cases.Audit;
using Harbour.Cases.Profile;
using Harbour.Contracts;
using Harbour.Profile;
using Harbour.ServiceDefaults.Outbox;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Staff;

/// <summary>An invitation as an admin sends it (page or <c>POST /api/staff/invitations</c>).</summary>
/// <param name="Email">The person's work address.</param>
/// <param name="DisplayName">The name they are shown by on cases, 1 to 200 characters.</param>
/// <param name="Roles">At least one of Admin, CaseManager, Analyst.</param>
/// <param name="Teams">Specialisms of the institution profile whose cases they work on.</param>
/// <param name="TeamLead">A case manager who sees every case of their teams.</param>
public sealed record InvitationRequest(string? Email, string? DisplayName, List<string>? Roles, List<string>? Teams, bool TeamLead = false);

/// <summary>What an admin changes on an account (<c>PUT /api/staff/{id}</c>); a change of roles ends its sessions.</summary>
public sealed record AccountChange(string? DisplayName, List<string>? Roles, List<string>? Teams, bool TeamLead = false);

/// <summary>A staff account or a waiting invitation, as admins see them. Status: active, disabled or invited.</summary>
public sealed record StaffAccountView(string? Id, string DisplayName, string Email, IReadOnlyList<string> Roles, IReadOnlyList<string> Teams,
    bool TeamLead, string Status, DateTimeOffset? InvitationExpiresAt);

// Admins' work on staff accounts: invite, change, disable and enable. Each change and its audit entry (and, for an
// invitation, its StaffInvited event) are saved together.
public static class StaffAccounts
{
    public static TimeSpan InvitationLifetime(IConfiguration configuration) => configuration.GetValue("Staff:InvitationLifetime", TimeSpan.FromDays(7));

    public static async Task<List<string>> TeamsAsync(this CasesDbContext db, CancellationToken ct) =>
        ((await db.CurrentProfileAsync(ct))?.Profile ?? DefaultProfile.Value).Categories.Select(c => c.Specialism).OfType<string>()
            .Distinct().Order().ToList();

    public static async Task<List<StaffAccountView>> ListStaffAsync(this CasesDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name }).ToListAsync(ct);
        var accounts = (await db.Users.AsNoTracking().OrderBy(u => u.DisplayName).ToListAsync(ct))
            .Select(u => new StaffAccountView(u.Id, u.DisplayName, u.Email!, roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order().ToList(),
                u.Teams, u.TeamLead, u.DisabledAt is null ? "active" : "disabled", null));
        var now = clock.GetUtcNow();
        var waiting = (await db.Invitations.AsNoTracking().Where(i => i.AcceptedAt == null && i.ExpiresAt > now).OrderBy(i => i.DisplayName).ToListAsync(ct))
            .Select(i => new StaffAccountView(null, i.DisplayName, i.Email, i.Roles, i.Teams, i.TeamLead, "invited", i.ExpiresAt));
        return [.. accounts, .. waiting];
    }

    // A second invitation to an address with one waiting changes nothing, unless sendAgain: then the waiting one's link
    // stops working and a new one goes.
    public static async Task<(Invitation? Invitation, Dictionary<string, string[]> Errors)> InviteAsync(this CasesDbContext db, InvitationRequest request,
        ClaimsPrincipal admin, IConfiguration configuration, Sealer mail, TimeProvider clock, CancellationToken ct, bool sendAgain = false)
    {
        var email = (request.Email ?? "").Trim();
        var errors = await CheckAsync(db, request.DisplayName, request.Roles, request.Teams, request.TeamLead, ct);
        if (!Limits.IsEmail(email)) errors["email"] = ["Enter a work email address like name@university.ac.uk."];
        else if (await db.Users.AnyAsync(u => u.NormalizedEmail == email.ToUpperInvariant(), ct)) errors["email"] = ["There is already an account for this address."];
        if (errors.Count > 0) return (null, errors);

        var now = clock.GetUtcNow();
        var waiting = await db.Invitations.Where(i => i.Email.ToUpper() == email.ToUpperInvariant() && i.AcceptedAt == null && i.ExpiresAt > now)
            .ToListAsync(ct);
        if (waiting.Count > 0 && !sendAgain) return (waiting[0], errors);
        foreach (var old in waiting) old.Supersede(clock);
        var (invitation, token) = Invitation.New(email, request.DisplayName!.Trim(), request.Roles!, request.Teams ?? [], request.TeamLead,
            AuditEntry.ActorOf(admin), InvitationLifetime(configuration), clock);
        db.Invitations.Add(invitation);
        // The link is a secret: sealed with the mail key on its way, and once notifications has it, the outbox keeps no copy.
        db.Outbox.Add(OutboxMessage.For(invitation.ToInvited(token, mail), clock, secret: true));
        db.AuditLog.Add(AuditEntry.By(admin, sendAgain ? "staff.invited-again" : "staff.invited", clock, detail: $"{email} as {string.Join(", ", invitation.Roles)}"));
        await db.SaveChangesAsync(ct);
        return (invitation, errors);
    }

    // The invitation a link names, whatever its state (open, accepted, superseded or expired); null for no such link.
    public static Task<Invitation?> InvitationAsync(this CasesDbContext db, string token, CancellationToken ct)
    {
        var hash = Invitation.Hash(token);
        return db.Invitations.SingleOrDefaultAsync(i => i.TokenHash == hash, ct);
    }

    // The invited person chooses a passphrase: the account is made with the invitation's name, roles and teams, once.
    public static async Task<Dictionary<string, string[]>> AcceptAsync(this CasesDbContext db, UserManager<StaffUser> users, Invitation invitation,
        string? passphrase, string? again, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(passphrase)) return new() { ["passphrase"] = ["Choose a passphrase."] };
        if (passphrase != again) return new() { ["again"] = ["Type the same passphrase twice."] };
        return await db.InOneTransactionAsync(async () =>
        {
            // The same form sent twice (a double click, a retry) makes one account: the second waits here, then finds it made.
            var acceptedAt = await db.Database.SqlQuery<DateTimeOffset?>(
                $"SELECT accepted_at AS \"Value\" FROM staff_invitations WHERE id = {invitation.Id} FOR UPDATE").SingleAsync(ct);
            if (acceptedAt is not null) return new Dictionary<string, string[]>();
            var open = await db.Invitations.SingleAsync(i => i.Id == invitation.Id, ct);
            var user = new StaffUser
            {
                UserName = invitation.Email, Email = invitation.Email, EmailConfirmed = true, DisplayName = invitation.DisplayName,
                Teams = invitation.Teams, TeamLead = invitation.TeamLead,
            };
            var created = await users.CreateAsync(user, passphrase);
            if (!created.Succeeded) return new Dictionary<string, string[]> { ["passphrase"] = [.. created.Errors.Select(e => e.Description)] };
            Succeeded(await users.AddToRolesAsync(user, invitation.Roles));
            open.Accept(clock);
            db.AuditLog.Add(AuditEntry.By(AuditEntry.ActorOf(user), "staff.joined", clock, detail: $"as {string.Join(", ", invitation.Roles)}"));
            await db.SaveChangesAsync(ct);
            return new Dictionary<string, string[]>();
        }, ct);
    }

    public static async Task<(bool Found, Dictionary<string, string[]> Errors)> ChangeAccountAsync(this CasesDbContext db, UserManager<StaffUser> users,
        string id, AccountChange change, ClaimsPrincipal admin, TimeProvider clock, CancellationToken ct)
    {
        if (await users.FindByIdAsync(id) is null) return (false, []);
        var errors = await CheckAsync(db, change.DisplayName, change.Roles, change.Teams, change.TeamLead, ct);
        if (errors.Count > 0) return (true, errors);
        return await db.InOneTransactionAsync(async () =>
        {
            await db.LockAdminsAsync(ct);
            if (await users.FindByIdAsync(id) is not { } user) return (false, errors);
            var roles = await users.GetRolesAsync(user);
            if (roles.Contains(StaffRoles.Admin) && !change.Roles!.Contains(StaffRoles.Admin))
            {
                if (user.Id == admin.FindFirstValue("sub")) return (true, new() { ["roles"] = ["You cannot take the Admin role from yourself: ask another admin."] });
                if (await EnabledAdminsAsync(db, ct) <= 1) return (true, new Dictionary<string, string[]> { ["roles"] = ["Harbour needs at least one admin who can sign in."] });
            }
            (user.DisplayName, user.Teams, user.TeamLead) = (change.DisplayName!.Trim(), change.Teams ?? [], change.TeamLead);
            Succeeded(await users.UpdateAsync(user));
            if (!roles.Order().SequenceEqual(change.Roles!.Order()))
            {
                Succeeded(await users.RemoveFromRolesAsync(user, roles));
                Succeeded(await users.AddToRolesAsync(user, change.Roles!));
                // Roles travel in the session's token: a new one is needed.
                await db.EndAllAsync(user.Id, "roles changed", clock, ct);
            }
            db.AuditLog.Add(AuditEntry.By(admin, "staff.changed", clock, detail: $"{user.Email}: {string.Join(", ", change.Roles!)}; teams {string.Join(", ", user.Teams)}"));
            await db.SaveChangesAsync(ct);
            return (true, errors);
        }, ct);
    }

    // A disabled account cannot sign in and its sessions end at once; enabling it lets it sign in again.
    public static async Task<(bool Found, string? Problem)> SetDisabledAsync(this CasesDbContext db, UserManager<StaffUser> users, string id, bool disabled,
        ClaimsPrincipal admin, TimeProvider clock, CancellationToken ct)
    {
        if (await users.FindByIdAsync(id) is null) return (false, null);
        if (disabled && id == admin.FindFirstValue("sub")) return (true, "You cannot disable your own account.");
        return await db.InOneTransactionAsync<(bool, string?)>(async () =>
        {
            await db.LockAdminsAsync(ct);
            if (await users.FindByIdAsync(id) is not { } user) return (false, null);
            if (disabled && user.DisabledAt is null && (await users.GetRolesAsync(user)).Contains(StaffRoles.Admin) && await EnabledAdminsAsync(db, ct) <= 1)
                return (true, "Harbour needs at least one admin who can sign in.");
            user.DisabledAt = disabled ? user.DisabledAt ?? clock.GetUtcNow() : null;
            Succeeded(await users.UpdateAsync(user));
            if (disabled) await db.EndAllAsync(user.Id, "account disabled", clock, ct);
            db.AuditLog.Add(AuditEntry.By(admin, disabled ? "staff.disabled" : "staff.enabled", clock, detail: user.Email));
            await db.SaveChangesAsync(ct);
            return (true, null);
        }, ct);
    }

    // A member of staff changes their own passphrase, the current one first: Identity's own check and rules (12 characters
    // at least), and every session of the account ends in the same transaction, with the audit entry. A wrong current
    // passphrase is audited too (staff.passphrase-change-refused, with the client: SignInThrottle.ClientOf). Errors by
    // field: current, passphrase, again.
    public static async Task<Dictionary<string, string[]>> ChangePassphraseAsync(this CasesDbContext db, UserManager<StaffUser> users,
        ClaimsPrincipal person, string? current, string? passphrase, string? again, string client, TimeProvider clock, CancellationToken ct)
    {
        if (person.FindFirstValue("sub") is not { } id || await users.FindByIdAsync(id) is not { } found || !await users.HasPasswordAsync(found))
            return new() { ["current"] = ["This account has no Harbour passphrase to change."] };
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(current)) errors["current"] = ["Type your current passphrase."];
        if (string.IsNullOrEmpty(passphrase)) errors["passphrase"] = ["Choose a new passphrase."];
        else if (passphrase != again) errors["again"] = ["Type the same new passphrase twice."];
        if (errors.Count > 0) return errors;
        return await db.InOneTransactionAsync(async () =>
        {
            var user = (await users.FindByIdAsync(id))!;
            var changed = await users.ChangePasswordAsync(user, current!, passphrase!);
            if (changed.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)))
            {
                // Someone at an unattended, signed-in screen guessing the passphrase: on the trail as a refused sign-in is.
                db.AuditLog.Add(AuditEntry.By(person, "staff.passphrase-change-refused", clock, detail: $"{user.Email}: not the current passphrase, from {client}"));
                await db.SaveChangesAsync(ct);
                return new Dictionary<string, string[]> { ["current"] = ["That is not your current passphrase."] };
            }
            if (!changed.Succeeded) return new Dictionary<string, string[]> { ["passphrase"] = [.. changed.Errors.Select(e => e.Description)] };
            await db.EndAllAsync(user.Id, "passphrase changed", clock, ct);
            db.AuditLog.Add(AuditEntry.By(person, "staff.passphrase-changed", clock, detail: user.Email));
            await db.SaveChangesAsync(ct);
            return new Dictionary<string, string[]>();
        }, ct);
    }

    // Two admins taking Admin from each other (or disabling each other) at once would each see the other still there: the
    // check and the change hold this lock, one at a time.
    static Task LockAdminsAsync(this CasesDbContext db, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext('harbour-admins'))", ct);

    // A lost or replaced phone: the account's authenticator app and recovery codes stop working, its sessions end, and
    // its next sign-in (passphrase first) sets up a new app, as at the first sign-in.
    public static async Task<bool> ResetSecondFactorAsync(this CasesDbContext db, UserManager<StaffUser> users, string id, ClaimsPrincipal admin,
        TimeProvider clock, CancellationToken ct)
    {
        return await db.InOneTransactionAsync(async () =>
        {
            if (await users.FindByIdAsync(id) is not { } user) return false;
            Succeeded(await users.SetTwoFactorEnabledAsync(user, false));
            Succeeded(await users.ResetAuthenticatorKeyAsync(user));
            await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
            await db.EndAllAsync(user.Id, "second factor reset", clock, ct);
            db.AuditLog.Add(AuditEntry.By(admin, "staff.second-factor-reset", clock, detail: user.Email));
            await db.SaveChangesAsync(ct);
            return true;
        }, ct);
    }

    // Identity's steps and Harbour's rows together, or none of them. A transient failure runs the work again from the
    // start: nothing an attempt tracked is kept, so the work reads what it changes (the account, the invitation) itself,
    // inside the transaction, and a retry neither saves an audit entry twice nor trips over a concurrency stamp that
    // was rolled back. When the connection fails during the COMMIT itself, the transaction may have been made without
    // Harbour hearing so: PostgreSQL is asked whether that transaction id committed (pg_xact_status, kept for this purpose)
    // and, if it did, the attempt's own answer is given instead of running the work a second time (which would say "not
    // your current passphrase" to a passphrase it had just changed).
    internal static Task<T> InOneTransactionAsync<T>(this CasesDbContext db, Func<Task<T>> work, CancellationToken ct)
    {
        var transactionId = "";
        return db.Database.CreateExecutionStrategy().ExecuteInTransactionAsync(async _ =>
        {
            db.ChangeTracker.Clear();
            transactionId = await db.Database.SqlQuery<string>($"SELECT pg_current_xact_id()::text AS \"Value\"").SingleAsync(ct);
            return await work();
        }, _ => CommittedAsync(db, transactionId, ct), ct);
    }

    // Whether the transaction committed: "in progress" while the server still works on the COMMIT (or has not yet noticed
    // the client went away) is asked again for up to five seconds, since running the work again then would wait on that
    // transaction's locks and trip over what it did; still undecided, the change fails rather than risk being made twice.
    static async Task<bool> CommittedAsync(CasesDbContext db, string transactionId, CancellationToken ct)
    {
        for (var asked = 0; ; asked++)
        {
            var status = await db.Database.SqlQuery<string>($"SELECT pg_xact_status({transactionId}::xid8) AS \"Value\"").SingleAsync(ct);
            if (status != "in progress") return status == "committed";
            if (asked == 50) throw new InvalidOperationException($"Transaction {transactionId} was still in progress five seconds after its COMMIT failed.");
            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }
    }

    // A step Identity refused that validation should have caught (or a concurrent change): nothing of the change is kept.
    internal static void Succeeded(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException("The account could not be changed: " + string.Join(" ", result.Errors.Select(e => e.Code)));
    }

    internal static Task<int> EnabledAdminsAsync(CasesDbContext db, CancellationToken ct) =>
        (from u in db.Users join ur in db.UserRoles on u.Id equals ur.UserId join r in db.Roles on ur.RoleId equals r.Id
         where r.Name == StaffRoles.Admin && u.DisabledAt == null select u.Id).Distinct().CountAsync(ct);

    static async Task<Dictionary<string, string[]>> CheckAsync(CasesDbContext db, string? name, List<string>? roles, List<string>? teams, bool teamLead,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(name)) errors["displayName"] = ["Enter the name colleagues know them by."];
        else if (name.Trim().Length > Limits.ShortText) errors["displayName"] = [$"Keep the name under {Limits.ShortText} characters."];
        if (roles is not { Count: > 0 } || roles.Any(r => !StaffRoles.All.Contains(r)))
            errors["roles"] = [$"Choose at least one role: {Terms.Listed(StaffRoles.All)}."];
        var known = await db.TeamsAsync(ct);
        if (teams?.Any(t => !known.Contains(t)) == true) errors["teams"] = ["Choose teams from the list: the specialisms of the institution profile."];
        if (teamLead && (teams is not { Count: > 0 } || roles?.Contains(StaffRoles.CaseManager) != true))
            errors["teamLead"] = ["A team lead is a case manager with at least one team."];
        return errors;
    }
}
