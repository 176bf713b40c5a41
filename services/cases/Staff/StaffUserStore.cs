using System.Security.Cryptography;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Staff;

// ASP.NET Core Identity's store for staff accounts, with the second factor's secrets protected at rest (OWASP ASVS 5.0 V11.2
// and V13.3, secrets stored protected): the authenticator app's key is sealed with the report key (AES-256-GCM, with its key
// id), and each recovery code is kept only as a hash by Identity's own passphrase hasher (PBKDF2, salted), so a dump of casesdb
// can neither make an account's codes nor use one of its recovery codes. Identity keeps both as tokens of its own login
// provider; everything else is Identity's own code.
public sealed class StaffUserStore(CasesDbContext db, Sealer sealer, IPasswordHasher<StaffUser> hasher, IdentityErrorDescriber? describer = null)
    : UserStore<StaffUser, IdentityRole, CasesDbContext>(db, describer)
{
    // Identity's own names for the two tokens (UserStoreBase keeps them private).
    const string Provider = "[AspNetUserStore]", AuthenticatorKey = "AuthenticatorKey", RecoveryCodes = "RecoveryCodes";

    public override Task SetAuthenticatorKeyAsync(StaffUser user, string key, CancellationToken cancellationToken) =>
        base.SetAuthenticatorKeyAsync(user, sealer.Seal(key), cancellationToken);

    public override async Task<string?> GetAuthenticatorKeyAsync(StaffUser user, CancellationToken cancellationToken) =>
        await base.GetAuthenticatorKeyAsync(user, cancellationToken) is { } stored ? sealer.Open<string>(stored) : null;

    public override Task ReplaceCodesAsync(StaffUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken) =>
        base.ReplaceCodesAsync(user, recoveryCodes.Select(code => hasher.HashPassword(user, code)), cancellationToken);

    // A code works once: the hash it matches is removed.
    public override async Task<bool> RedeemCodeAsync(StaffUser user, string code, CancellationToken cancellationToken)
    {
        var kept = (await GetTokenAsync(user, Provider, RecoveryCodes, cancellationToken) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries);
        var used = kept.FirstOrDefault(hash => hasher.VerifyHashedPassword(user, hash, code) != PasswordVerificationResult.Failed);
        if (used is null) return false;
        await SetTokenAsync(user, Provider, RecoveryCodes, string.Join(';', kept.Where(hash => hash != used)), cancellationToken);
        return true;
    }

    // At every start of cases: an authenticator key not sealed (an account enrolled before they were) or sealed with a report key
    // that no longer seals (a rotation, docs/operations.md) is sealed with the current one, and recovery codes kept in clear
    // (Identity's are 11 characters; a hash is far longer) are replaced by their hashes. Returns how many accounts' secrets
    // changed. A key that no report key held opens is left as it is.
    public static async Task<int> ProtectSecondFactorsAsync(CasesDbContext db, Sealer sealer, IPasswordHasher<StaffUser> hasher, CancellationToken ct = default)
    {
        var tokens = await db.UserTokens.Where(t => t.LoginProvider == Provider && (t.Name == AuthenticatorKey || t.Name == RecoveryCodes)).ToListAsync(ct);
        var changed = 0;
        foreach (var token in tokens.Where(t => t.Value is { Length: > 0 }))
        {
            var value = token.Value!;
            if (token.Name == AuthenticatorKey)
            {
                // A Base32 key never starts with "v"; a sealed value always does.
                try
                {
                    token.Value = value.StartsWith('v') ? sealer.Reseal(value) : sealer.Seal(value);
                }
                catch (CryptographicException)
                {
                }
            }
            else if (value.Split(';').Any(code => code.Length < 40))
            {
                var user = new StaffUser { Id = token.UserId };
                token.Value = string.Join(';', value.Split(';', StringSplitOptions.RemoveEmptyEntries)
                    .Select(code => code.Length < 40 ? hasher.HashPassword(user, code) : code));
            }
            if (token.Value != value) changed++;
        }
        await db.SaveChangesAsync(ct);
        return changed;
    }
}
