using System.Security.Claims;
using Harbour.Cases.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Cases.Staff;

// /cases/confirm?returnUrl=...: the second factor again, for work that asks for a recent one (StepUp), then back to it.
// An account with no Harbour authenticator (it signs in through the university's sign-on, which checked a second factor)
// signs in there again, the provider asked to authenticate afresh.
[Authorize]
public sealed class ConfirmModel(UserManager<StaffUser> users, SignInThrottle throttle, CasesDbContext db, IConfiguration configuration,
    TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    // sso=refused: back from the provider without a fresh sign-in there (SingleSignOn.ConfirmAfreshAsync).
    [BindProperty(SupportsGet = true, Name = "sso")] public string? Sso { get; set; }
    public bool SsoRefused => Sso == "refused";
    public string? Error { get; private set; }
    public bool HasAuthenticator { get; private set; }
    public string Back => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/cases";
    public IConfiguration Configuration => configuration;

    public async Task<IActionResult> OnGetAsync()
    {
        // Only an account known to have no Harbour authenticator is sent to the provider.
        HasAuthenticator = (await AccountAsync())?.TwoFactorEnabled != false;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? code, string? recoveryCode, CancellationToken ct)
    {
        if (await AccountAsync() is not { TwoFactorEnabled: true } user) return Forbid();
        HasAuthenticator = true;
        if (await HttpContext.CheckCodeAsync(user, code, recoveryCode, users, throttle, db, clock) is var (message, status))
        {
            (Error, Response.StatusCode) = (message, status);
            return Page();
        }
        if (!await db.SecondFactorConfirmedAsync(User, clock, ct)) return Forbid();
        db.AuditLog.Add(AuditEntry.By(User, "staff.second-factor-confirmed", clock, detail: $"for {Back}"));
        await db.SaveChangesAsync(ct);
        return LocalRedirect(Back);
    }

    async Task<StaffUser?> AccountAsync() =>
        User.FindFirstValue("sub") is { } id && await users.FindByIdAsync(id) is { DisabledAt: null } user ? user : null;
}
