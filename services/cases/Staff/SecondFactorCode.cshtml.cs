using Harbour.Cases.Audit;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Cases.Staff;

// /cases/sign-in/code: after the passphrase, the code from the authenticator app, or one of the recovery codes.
public sealed class SecondFactorCodeModel(UserManager<StaffUser> users, SignInThrottle throttle, CasesDbContext db,
    IDataProtectionProvider protection, IConfiguration configuration, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await Request.HalfSignedInAsync(users, protection) is { TwoFactorEnabled: true } ? Page() : Restart();

    public async Task<IActionResult> OnPostAsync(string? code, string? recoveryCode)
    {
        if (await Request.HalfSignedInAsync(users, protection) is not { TwoFactorEnabled: true } user) return Restart();
        var client = SignInThrottle.ClientOf(Request);
        var key = $"second-factor:{user.Id}";
        using var attempt = throttle.Attempt(key, client);
        if (attempt.TooMany)
        {
            (Error, Response.StatusCode) = (Attempt.TooManyMessage, StatusCodes.Status429TooManyRequests);
            return Page();
        }
        await Task.Delay(attempt.Delay, clock, HttpContext.RequestAborted);
        var right = string.IsNullOrWhiteSpace(recoveryCode)
            ? await users.CodeIsRightAsync(user, code, clock)
            : (await users.RedeemTwoFactorRecoveryCodeAsync(user, recoveryCode.Trim())).Succeeded;
        if (!right)
        {
            db.AuditLog.Add(AuditEntry.By(AuditEntry.ActorOf(user), "staff.second-factor-refused", clock, detail: $"from {client}"));
            await db.SaveChangesAsync();
            Error = "That code is not right. Enter the six digits your app shows now, or one of your recovery codes.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        throttle.Succeeded(key, client);
        if (!string.IsNullOrWhiteSpace(recoveryCode))
            db.AuditLog.Add(AuditEntry.By(AuditEntry.ActorOf(user), "staff.recovery-code-used", clock,
                detail: $"{await users.CountRecoveryCodesAsync(user)} left"));
        await HttpContext.CompleteAsync(user, users, db, configuration, clock);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/cases");
    }

    IActionResult Restart() => Redirect($"/cases/sign-in?returnUrl={Uri.EscapeDataString(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/cases")}");
}
