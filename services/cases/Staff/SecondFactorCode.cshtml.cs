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
        if (await HttpContext.CheckCodeAsync(user, code, recoveryCode, users, throttle, db, clock) is var (message, status))
        {
            (Error, Response.StatusCode) = (message, status);
            return Page();
        }
        await HttpContext.CompleteAsync(user, users, db, configuration, clock);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/cases");
    }

    IActionResult Restart() => Redirect($"/cases/sign-in?returnUrl={Uri.EscapeDataString(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/cases")}");
}
