using System.Security.Claims;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Cases.Staff;

// /cases/passphrase: a signed-in member of staff, whatever their role, changes their own passphrase, the current one
// first (OWASP ASVS 5.0 V6.2.3). Every session of the account then ends, this one too (V7.4.3), and they sign in again.
// A wrong current passphrase counts against the account as a refused sign-in does (SignInThrottle), and is audited.
// An account that signs in through the university's sign-on has no passphrase here.
[Authorize]
public sealed class PassphraseModel(CasesDbContext db, UserManager<StaffUser> users, SignInThrottle throttle, IConfiguration configuration,
    TimeProvider clock) : PageModel
{
    public Dictionary<string, string[]> Errors { get; private set; } = [];
    public bool SignsInThroughSso { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        SignsInThroughSso = await SignsInThroughSsoAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? current, string? passphrase, string? again, CancellationToken ct)
    {
        var client = SignInThrottle.ClientOf(Request);
        // Counted under the account's address, as its sign-ins are.
        var email = User.FindFirstValue("sub") is { } id && await users.FindByIdAsync(id) is { Email: { } address } ? address : "";
        using var attempt = throttle.Attempt(email, client);
        if (attempt.TooMany) Errors = new() { ["current"] = [Attempt.TooManyMessage] };
        else
        {
            await Task.Delay(attempt.Delay, clock, ct);
            Errors = await db.ChangePassphraseAsync(users, User, current, passphrase, again, client, clock, ct);
        }
        if (Errors.Count > 0)
        {
            SignsInThroughSso = await SignsInThroughSsoAsync();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        throttle.Succeeded(email, client);
        Response.Cookies.Delete(StaffAuthentication.CookieNameFor(Request, configuration), StaffAuthentication.CookieOptions(Request, configuration));
        return LocalRedirect($"{StaffAuthentication.SignInPath}?changed=1");
    }

    async Task<bool> SignsInThroughSsoAsync() =>
        User.FindFirstValue("sub") is { } id && await users.FindByIdAsync(id) is { } user && !await users.HasPasswordAsync(user);
}
