using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Cases.Staff;

// /cases/passphrase/forgotten, for anyone: the address of an account, to be emailed a link to choose a new passphrase.
// The answer is the same whether or not the address has an account (OWASP ASVS 5.0 V6.3.8). Requests count against the
// address as refused sign-ins do (SignInThrottle), and one account gets at most one email every five minutes.
public sealed class ForgottenPassphraseModel(CasesDbContext db, UserManager<StaffUser> users, SignInThrottle throttle,
    [FromKeyedServices(Sealer.Mail)] Sealer mail, IConfiguration configuration, TimeProvider clock) : PageModel
{
    [BindProperty] public string? Email { get; set; }
    public string? Error { get; private set; }
    public TimeSpan Lifetime => PassphraseResets.Lifetime(configuration);

    // The address a link was asked for, shown once after the request (kept out of the address bar and the logs).
    public string? Sent { get; private set; }

    public void OnGet() => Email = Sent = TempData["sent"] as string;

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var email = (Email ?? "").Trim();
        if (!Limits.IsEmail(email))
        {
            Error = "Enter the email address you sign in to Harbour with, like name@university.ac.uk.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        using var attempt = throttle.Attempt(email, SignInThrottle.ClientOf(Request));
        if (attempt.TooMany)
        {
            Error = "Too many requests for this address are under way. Wait a minute, then try again.";
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }
        await Task.Delay(attempt.Delay, clock, ct);
        await db.RequestPassphraseResetAsync(users, email, configuration, mail, clock, ct);
        // Sent or not, the same page: the address is shown so a typo can be seen.
        TempData["sent"] = email;
        return RedirectToPage();
    }
}
