using Harbour.Cases.Audit;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Cases.Staff;

public sealed class SignInModel(SignInManager<StaffUser> signIn, IPasswordHasher<StaffUser> hasher, SignInThrottle throttle,
    CasesDbContext db, IDataProtectionProvider protection, IConfiguration configuration, TimeProvider clock, ILogger<SignInModel> log) : PageModel
{
    // Checked when the address has no account, so that the answer takes the same work either way (OWASP ASVS 5.0 V6.3).
    static string? noAccountHash;

    public IConfiguration Configuration => configuration;
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var email = (Email ?? "").Trim();
        if (email.Length > 256) email = email[..256];
        var client = SignInThrottle.ClientOf(Request);
        using var attempt = throttle.Attempt(email, client);
        if (attempt.TooMany) return TooMany();
        await Task.Delay(attempt.Delay, clock, HttpContext.RequestAborted);
        var user = email.Length is > 0 and <= 256 ? await signIn.UserManager.FindByEmailAsync(email) : null;
        var passwordRight = user is null
            ? Verify(hasher.VerifyHashedPassword(new StaffUser(), noAccountHash ??= hasher.HashPassword(new StaffUser(), Guid.NewGuid().ToString()), Password ?? ""))
            : (await signIn.CheckPasswordSignInAsync(user, Password ?? "", lockoutOnFailure: false)).Succeeded;
        // A disabled account is refused like a wrong password: the page says nothing about who has an account.
        if (!passwordRight || user is null || user.DisabledAt is not null)
        {
            // One message whatever was wrong, so the page does not reveal who has an account.
            Error = "The email address or password is not right.";
            log.LogWarning("Staff sign-in refused");
            db.AuditLog.Add(AuditEntry.By(user is null ? "no such account" : AuditEntry.ActorOf(user), "staff.sign-in-refused", clock,
                detail: $"as {email[..Math.Min(email.Length, 256)]} from {client}"));
            await db.SaveChangesAsync();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        throttle.Succeeded(email, client);
        // Half signed in: the second factor comes next (set up at the first sign-in).
        Response.PasswordChecked(user, protection, configuration);
        var back = Uri.EscapeDataString(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/cases");
        return Redirect(user.TwoFactorEnabled ? $"/cases/sign-in/code?returnUrl={back}" : $"/cases/sign-in/enrol?returnUrl={back}");
    }

    IActionResult TooMany()
    {
        Error = Attempt.TooManyMessage;
        Response.StatusCode = StatusCodes.Status429TooManyRequests;
        return Page();
    }

    static bool Verify(PasswordVerificationResult result) => result != PasswordVerificationResult.Failed;

}
