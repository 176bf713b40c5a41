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
public sealed class StaffUserStore(CasesDbContext db, Sealer sealer, IPasswordHasher<StaffUser> hasher, ILogger<StaffUserStore> log,
    IdentityErrorDescriber? describer = null) : UserStore<StaffUser, IdentityRole, CasesDbContext>(db, describer)
{
    // Identity's own names for the two tokens (UserStoreBase keeps them private).
    const string Provider = "[AspNetUserStore]", AuthenticatorKey = "AuthenticatorKey", RecoveryCodes = "RecoveryCodes";

    public override Task SetAuthenticatorKeyAsync(StaffUser user, string key, CancellationToken cancellationToken) =>
        base.SetAuthenticatorKeyAsync(user, sealer.Seal(key), cancellationToken);

    // A key in clear (a replica of an earlier build enrolled someone during a rolling upgrade) is read as it is, and sealed at
    // the next start. A key no report key held opens reads as none (the code is refused, never a server error), and is logged:
    // its report key is missing from Harbour:OtherReportKeys, or an Admin resets the account's second factor.
    public override async Task<string?> GetAuthenticatorKeyAsync(StaffUser user, CancellationToken cancellationToken)
    {
        if (await base.GetAuthenticatorKeyAsync(user, cancellationToken) is not { } stored) return null;
        if (!stored.StartsWith('v')) return stored;
        try
        {
            return sealer.Open<string>(stored);
        }
        catch (CryptographicException)
        {
            log.LogError("The authenticator key of account {Account} is sealed with a report key this service does not hold", user.Id);
            return null;
        }
    }

    public override Task ReplaceCodesAsync(StaffUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken) =>
        base.ReplaceCodesAsync(user, recoveryCodes.Select(code => hasher.HashPassword(user, code)), cancellationToken);

    // A code works once: the hash it matches is removed.
    public override async Task<bool> RedeemCodeAsync(StaffUser user, string code, CancellationToken cancellationToken)
    {
        var kept = (await GetTokenAsync(user, Provider, RecoveryCodes, cancellationToken) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries);
        // A code in clear (kept by a replica of an earlier build during a rolling upgrade) is compared as it is.
        var used = kept.FirstOrDefault(hash => hash.Length < HashedLength
            ? CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(hash), System.Text.Encoding.UTF8.GetBytes(code))
            : hasher.VerifyHashedPassword(user, hash, code) != PasswordVerificationResult.Failed);
        if (used is null) return false;
        await SetTokenAsync(user, Provider, RecoveryCodes, string.Join(';', kept.Where(hash => hash != used)), cancellationToken);
        return true;
    }

    // Identity's codes are 11 characters; a hash is far longer.
    const int HashedLength = 40;

    // At every start of cases: an authenticator key not sealed (an account enrolled before they were) or sealed with a report key
    // that no longer seals (a rotation, docs/operations.md) is sealed with the current one, and recovery codes kept in clear are
    // replaced by their hashes. Each row is written only if it is still what was read (a person enrolling meanwhile on another
    // replica keeps their new key). Returns how many accounts' secrets changed; a key no report key held opens is left, and
    // logged.
    public static async Task<int> ProtectSecondFactorsAsync(CasesDbContext db, Sealer sealer, IPasswordHasher<StaffUser> hasher, ILogger log,
        CancellationToken ct = default)
    {
        var tokens = await db.UserTokens.AsNoTracking()
            .Where(t => t.LoginProvider == Provider && (t.Name == AuthenticatorKey || t.Name == RecoveryCodes) && t.Value != null && t.Value != "")
            .ToListAsync(ct);
        var accounts = new HashSet<string>();
        var unopened = 0;
        foreach (var token in tokens)
        {
            var value = token.Value!;
            string protectedValue;
            if (token.Name == AuthenticatorKey)
            {
                // A Base32 key never starts with "v"; a sealed value always does.
                try
                {
                    protectedValue = value.StartsWith('v') ? sealer.Reseal(value) : sealer.Seal(value);
                }
                catch (CryptographicException)
                {
                    unopened++;
                    continue;
                }
            }
            else
            {
                var user = new StaffUser { Id = token.UserId };
                protectedValue = string.Join(';', value.Split(';', StringSplitOptions.RemoveEmptyEntries)
                    .Select(code => code.Length < HashedLength ? hasher.HashPassword(user, code) : code));
            }
            if (protectedValue == value) continue;
            var (userId, name) = (token.UserId, token.Name);
            if (await db.UserTokens.Where(t => t.UserId == userId && t.LoginProvider == Provider && t.Name == name && t.Value == value)
                    .ExecuteUpdateAsync(t => t.SetProperty(x => x.Value, protectedValue), ct) > 0)
                accounts.Add(userId);
        }
        if (unopened > 0)
            log.LogError("{Count} authenticator keys are sealed with a report key this service does not hold (Harbour:OtherReportKeys)", unopened);
        return accounts.Count;
    }
}
