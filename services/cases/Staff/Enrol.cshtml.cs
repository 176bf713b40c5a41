using Harbour.Cases.Audit;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Cases.Staff;

// /cases/sign-in/enrol: at first sign-in, after the passphrase, the person adds Harbour to an authenticator app and proves
// it with a code; they are then signed in and shown their recovery codes, once.
public sealed class EnrolModel(UserManager<StaffUser> users, SignInThrottle throttle, CasesDbContext db, IDataProtectionProvider protection,
    IConfiguration configuration, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string Email { get; private set; } = "";
    public string Key { get; private set; } = "";
    public string QrCode { get; private set; } = "";
    public string? Error { get; private set; }
    public IReadOnlyList<string>? Codes { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await Request.HalfSignedInAsync(users, protection) is { TwoFactorEnabled: false } user ? await ShowAsync(user) : Restart();

    public async Task<IActionResult> OnPostAsync(string? code)
    {
        if (await Request.HalfSignedInAsync(users, protection) is not { TwoFactorEnabled: false } user) return Restart();
        var client = SignInThrottle.ClientOf(Request);
        using var attempt = throttle.Attempt($"second-factor:{user.Id}", client);
        if (attempt.TooMany)
        {
            (Error, Response.StatusCode) = (Attempt.TooManyMessage, StatusCodes.Status429TooManyRequests);
            return await ShowAsync(user);
        }
        await Task.Delay(attempt.Delay, clock, HttpContext.RequestAborted);
        if (!await users.CodeIsRightAsync(user, code, clock))
        {
            Error = "That code is not right. Enter the six digits your app shows now.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await ShowAsync(user);
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        Codes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, SecondFactor.RecoveryCodes) ?? []];
        db.AuditLog.Add(AuditEntry.By(AuditEntry.ActorOf(user), "staff.second-factor-enrolled", clock));
        await HttpContext.CompleteAsync(user, users, db, configuration, clock);
        throttle.Succeeded($"second-factor:{user.Id}", client);
        return Page();
    }

    public string Continue => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/cases";

    async Task<IActionResult> ShowAsync(StaffUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }
        (Email, Key, QrCode) = (user.Email!, key!, SecondFactor.QrCode(user.Email!, key!));
        return Page();
    }

    IActionResult Restart() => Redirect($"/cases/sign-in?returnUrl={Uri.EscapeDataString(Continue)}");
}
