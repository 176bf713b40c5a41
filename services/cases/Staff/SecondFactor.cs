using Harbour.Cases.Audit;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using QRCoder;

namespace Harbour.Cases.Staff;

// Every staff account has a second factor, an authenticator app (TOTP, RFC 6238, through Identity's own provider), with
// recovery codes; there is no way round it (OWASP ASVS 5.0 V6.3.3). A right passphrase only earns a short-lived, sealed
// "half signed in" cookie for /cases/sign-in; the session starts when the code is right, or, at first sign-in, when the
// app is enrolled.
public static class SecondFactor
{
    const string Cookie = "harbour_second_factor";
    static readonly TimeSpan HalfSignedIn = TimeSpan.FromMinutes(10);
    public const int RecoveryCodes = 10;

    // The cookie holds the account's id and a fingerprint of its passphrase's hash, sealed: once the passphrase is changed
    // or reset, a browser half signed in with the old one must start again. (Not Identity's security stamp, which enrolling
    // the authenticator app, a step of the half-signed-in browser itself, changes too.)
    public static void PasswordChecked(this HttpResponse response, StaffUser user, IDataProtectionProvider protection, IConfiguration configuration) =>
        response.Cookies.Append(Cookie, Protector(protection).Protect($"{user.Id} {PassphraseFingerprint(user)}", HalfSignedIn), new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Path = StaffAuthentication.SignInPath, MaxAge = HalfSignedIn,
            Secure = StaffAuthentication.IsSecure(response.HttpContext.Request, configuration),
        });

    // The account whose passphrase was checked in the last ten minutes on this browser, if it may still sign in and its
    // passphrase is the one checked then.
    public static async Task<StaffUser?> HalfSignedInAsync(this HttpRequest request, UserManager<StaffUser> users, IDataProtectionProvider protection)
    {
        if (request.Cookies[Cookie] is not { } sealedValue) return null;
        try
        {
            var (id, passphrase) = Protector(protection).Unprotect(sealedValue).Split(' ', 2) is [var i, var s] ? (i, s) : ("", "");
            var user = id.Length > 0 ? await users.FindByIdAsync(id) : null;
            return user is { DisabledAt: null } && PassphraseFingerprint(user) == passphrase ? user : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    static string PassphraseFingerprint(StaffUser user) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(user.PasswordHash ?? "")));

    // The second factor is right: the session starts, on the server and in the cookie. secondFactorAt: when it was
    // checked, when that was not just now (StaffSession.Start).
    public static async Task CompleteAsync(this HttpContext context, StaffUser user, UserManager<StaffUser> users, CasesDbContext db,
        IConfiguration configuration, TimeProvider clock, string how = "", DateTimeOffset? secondFactorAt = null)
    {
        var issuer = context.RequestServices.GetRequiredService<StaffTokenIssuer>();
        var session = StaffSession.Start(user.Id, clock, secondFactorAt);
        db.StaffSessions.Add(session);
        var token = issuer.Create(user.Id, user.DisplayName, await users.GetRolesAsync(user), session.Id, clock);
        context.Response.Cookies.Append(StaffAuthentication.CookieNameFor(context.Request, configuration), token,
            StaffAuthentication.CookieOptions(context.Request, configuration));
        context.Response.Cookies.Delete(Cookie, new CookieOptions { Path = StaffAuthentication.SignInPath });
        db.AuditLog.Add(AuditEntry.By(AuditEntry.ActorOf(user), "staff.signed-in", clock, detail: $"{how} from {SignInThrottle.ClientOf(context.Request)}".TrimStart()));
        await db.SaveChangesAsync(context.RequestAborted);
    }

    // A code typed at sign-in or to confirm the second factor again (StepUp): the authenticator app's, or a recovery code.
    // Guesses are slowed down per account and client (SignInThrottle); a wrong code is audited, as is a recovery code used.
    // Null when right, else what to tell the person and the status to answer with.
    public static async Task<(string Message, int Status)?> CheckCodeAsync(this HttpContext http, StaffUser user, string? code, string? recoveryCode,
        UserManager<StaffUser> users, SignInThrottle throttle, CasesDbContext db, TimeProvider clock)
    {
        var client = SignInThrottle.ClientOf(http.Request);
        var key = $"second-factor:{user.Id}";
        using var attempt = throttle.Attempt(key, client);
        if (attempt.TooMany) return (Attempt.TooManyMessage, StatusCodes.Status429TooManyRequests);
        await Task.Delay(attempt.Delay, clock, http.RequestAborted);
        var right = string.IsNullOrWhiteSpace(recoveryCode)
            ? await users.CodeIsRightAsync(user, code, clock)
            : (await users.RedeemTwoFactorRecoveryCodeAsync(user, recoveryCode.Trim())).Succeeded;
        if (!right)
        {
            db.AuditLog.Add(AuditEntry.By(AuditEntry.ActorOf(user), "staff.second-factor-refused", clock, detail: $"from {client}"));
            await db.SaveChangesAsync(http.RequestAborted);
            return ("That code is not right. Enter the six digits your app shows now, or one of your recovery codes.", StatusCodes.Status400BadRequest);
        }
        throttle.Succeeded(key, client);
        if (!string.IsNullOrWhiteSpace(recoveryCode))
            db.AuditLog.Add(AuditEntry.By(AuditEntry.ActorOf(user), "staff.recovery-code-used", clock,
                detail: $"{await users.CountRecoveryCodesAsync(user)} left"));
        return null;
    }

    // Right, and not used before: a code works once (RFC 6238 section 5.2; OWASP ASVS 5.0 V6.5.1). The codes used in the
    // last five minutes (longer than Identity accepts a code) are kept with the account; recording one changes the
    // account's concurrency stamp, so two sign-ins racing with one code cannot both succeed.
    public static async Task<bool> CodeIsRightAsync(this UserManager<StaffUser> users, StaffUser user, string? code, TimeProvider clock)
    {
        // Six ASCII digits, spaces and dashes aside: "0123456" is not another spelling of a used "123456".
        var digits = new string((code ?? "").Where(c => c is not (' ' or '-')).ToArray());
        if (digits.Length != 6 || !digits.All(char.IsAsciiDigit)) return false;
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, digits)) return false;
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var recent = ((await users.GetAuthenticationTokenAsync(user, UsedCodes.Provider, UsedCodes.Name)) ?? "")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(entry => entry.Split('@') is [_, var at] && long.TryParse(at, out var seconds) && now - seconds < UsedCodes.KeptSeconds)
            .ToList();
        if (recent.Any(entry => entry.StartsWith(digits + "@", StringComparison.Ordinal))) return false;
        return (await users.SetAuthenticationTokenAsync(user, UsedCodes.Provider, UsedCodes.Name, string.Join(' ', [.. recent, $"{digits}@{now}"]))).Succeeded;
    }

    static class UsedCodes
    {
        public const string Provider = "Harbour", Name = "UsedAuthenticatorCodes";
        public const int KeptSeconds = 300;
    }

    // The QR code an authenticator app scans, drawn on the server as SVG: no third party sees the secret.
    public static string QrCode(string email, string key)
    {
        var uri = $"otpauth://totp/Harbour:{Uri.EscapeDataString(email)}?secret={key}&issuer=Harbour&digits=6";
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4);
    }

    static ITimeLimitedDataProtector Protector(IDataProtectionProvider protection) =>
        protection.CreateProtector("Harbour.Staff.SecondFactor").ToTimeLimitedDataProtector();
}
