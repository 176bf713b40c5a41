using Harbour.Cases.Audit;
using Harbour.ServiceDefaults.Outbox;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Staff;

// A forgotten passphrase: the account's own address is emailed a single-use link (Staff:PassphraseResetLifetime, 1 hour)
// to choose a new one. One row per account, holding the SHA-256 of the link's secret; a later request replaces it, so the
// earlier link stops working. The link sets a passphrase and nothing else: the second factor is still asked at the next
// sign-in, and every session of the account ends (OWASP ASVS 5.0 V6.4.1, V6.4.3, V7.4.3).
public sealed class PassphraseReset
{
    public required string UserId { get; init; }
    public Guid RequestId { get; private set; }
    public byte[] TokenHash { get; private set; } = [];
    public DateTimeOffset RequestedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? UsedAt { get; private set; }

    public bool IsOpen(TimeProvider clock) => UsedAt is null && clock.GetUtcNow() < ExpiresAt;

    // A new link: the one before stops working.
    public string Renew(TimeSpan lifetime, TimeProvider clock)
    {
        var token = SecretTokens.New();
        (RequestId, TokenHash, RequestedAt, ExpiresAt, UsedAt) = (Guid.CreateVersion7(), SecretTokens.Hash(token), clock.GetUtcNow(), clock.GetUtcNow() + lifetime, null);
        return token;
    }

    public void Use(TimeProvider clock) => UsedAt = clock.GetUtcNow();
}

public static class PassphraseResets
{
    public static TimeSpan Lifetime(IConfiguration configuration) => configuration.GetValue("Staff:PassphraseResetLifetime", TimeSpan.FromHours(1));

    // Asked again within this time while the link still works, nothing more is sent: a form sent twice, or someone asking
    // over and over for another's address, makes one email.
    static readonly TimeSpan Quiet = TimeSpan.FromMinutes(5);

    // Sends the link when the address is an enabled account's that signs in with a passphrase, and does nothing otherwise:
    // the asker is told the same either way (V6.3.8: no telling who has an account). Every request is audited in a
    // transaction of its own, sent (staff.passphrase-reset-requested) or not and why (staff.passphrase-reset-not-sent),
    // so the answer does not come back sooner for an address with no account: both commit one transaction.
    public static async Task RequestPassphraseResetAsync(this CasesDbContext db, UserManager<StaffUser> users, string email,
        IConfiguration configuration, Sealer mail, TimeProvider clock, CancellationToken ct)
    {
        var found = await users.FindByEmailAsync(email) is { DisabledAt: null } account && await users.HasPasswordAsync(account) ? account : null;
        await db.InOneTransactionAsync(async () =>
        {
            if (found is null)
            {
                db.AuditLog.Add(AuditEntry.By("no such account", "staff.passphrase-reset-not-sent", clock,
                    detail: $"{email}: no enabled account that signs in with a passphrase"));
                return await db.SaveChangesAsync(ct);
            }
            // Two requests at once for one account: one at a time, so the second finds the first's link.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext('harbour-passphrase-reset'), hashtext({found.Id}))", ct);
            var user = (await users.FindByIdAsync(found.Id))!;
            var reset = await db.PassphraseResets.SingleOrDefaultAsync(r => r.UserId == user.Id, ct);
            if (reset is not null && reset.IsOpen(clock) && clock.GetUtcNow() - reset.RequestedAt < Quiet)
            {
                db.AuditLog.Add(AuditEntry.By(AuditEntry.ActorOf(user), "staff.passphrase-reset-not-sent", clock,
                    detail: $"{user.Email}: a link was sent less than {Quiet.TotalMinutes:0} minutes ago"));
                return await db.SaveChangesAsync(ct);
            }
            if (reset is null) db.PassphraseResets.Add(reset = new PassphraseReset { UserId = user.Id });
            var token = reset.Renew(Lifetime(configuration), clock);
            // The link is a secret: sealed with the mail key on its way, and once notifications has it, the outbox keeps no copy.
            db.Outbox.Add(OutboxMessage.For(new Contracts.StaffPassphraseResetRequested(reset.RequestId, user.Email!, user.DisplayName,
                mail.Seal(token), reset.ExpiresAt), clock, secret: true));
            db.AuditLog.Add(AuditEntry.By(AuditEntry.ActorOf(user), "staff.passphrase-reset-requested", clock, detail: user.Email));
            return await db.SaveChangesAsync(ct);
        }, ct);
    }

    // The reset a link names, whatever its state; null for no such link.
    // A disabled account's link does not work.
    public static async Task<(PassphraseReset Reset, StaffUser User)?> PassphraseResetAsync(this CasesDbContext db, UserManager<StaffUser> users,
        string token, CancellationToken ct)
    {
        if (!SecretTokens.LooksLikeToken(token)) return null;
        var hash = SecretTokens.Hash(token);
        return await db.PassphraseResets.AsNoTracking().SingleOrDefaultAsync(r => r.TokenHash == hash, ct) is { } reset
            && await users.FindByIdAsync(reset.UserId) is { DisabledAt: null } user ? (reset, user) : null;
    }

    // The new passphrase, twice: Identity's rules (12 characters at least) checked before anything changes; then the
    // passphrase, the link used, every session ended and the audit entry, together. Errors by field: passphrase, again.
    // The same form sent twice sets it once: the second finds the link used and changes nothing.
    public static async Task<Dictionary<string, string[]>> ResetPassphraseAsync(this CasesDbContext db, UserManager<StaffUser> users,
        PassphraseReset reset, string? passphrase, string? again, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(passphrase)) return new() { ["passphrase"] = ["Choose a new passphrase."] };
        if (passphrase != again) return new() { ["again"] = ["Type the same new passphrase twice."] };
        var account = (await users.FindByIdAsync(reset.UserId))!;
        var refused = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
            refused.AddRange((await validator.ValidateAsync(users, account, passphrase)).Errors);
        if (refused.Count > 0) return new() { ["passphrase"] = [.. refused.Select(e => e.Description)] };
        return await db.InOneTransactionAsync(async () =>
        {
            var open = await db.PassphraseResets.FromSql($"SELECT * FROM staff_passphrase_resets WHERE user_id = {reset.UserId} FOR UPDATE")
                .SingleAsync(ct);
            if (open.RequestId != reset.RequestId || !open.IsOpen(clock)) return new Dictionary<string, string[]>();
            var user = (await users.FindByIdAsync(reset.UserId))!;
            if (user.DisabledAt is not null) return new Dictionary<string, string[]>();
            StaffAccounts.Succeeded(await users.RemovePasswordAsync(user));
            StaffAccounts.Succeeded(await users.AddPasswordAsync(user, passphrase));
            open.Use(clock);
            await db.EndAllAsync(user.Id, "passphrase reset", clock, ct);
            db.AuditLog.Add(AuditEntry.By(AuditEntry.ActorOf(user), "staff.passphrase-reset", clock, detail: user.Email));
            await db.SaveChangesAsync(ct);
            return new Dictionary<string, string[]>();
        }, ct);
    }

}
