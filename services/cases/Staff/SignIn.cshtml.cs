using Harbour.Cases.Audit;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Cases.Staff;

public sealed class SignInModel(SignInManager<StaffUser> signIn, CasesDbContext db, IConfiguration configuration,
    TimeProvider clock, ILogger<SignInModel> log) : PageModel
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = string.IsNullOrWhiteSpace(Email) ? null : await signIn.UserManager.FindByEmailAsync(Email.Trim());
        var result = user is null || string.IsNullOrEmpty(Password)
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.CheckPasswordSignInAsync(user, Password, lockoutOnFailure: true);
        if (!result.Succeeded || user is null)
        {
            // One message whatever was wrong, so the page does not reveal who has an account.
            Error = result.IsLockedOut
                ? "Too many attempts. Try again in 15 minutes."
                : "The email address or password is not right.";
            log.LogWarning("Staff sign-in refused");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var roles = await signIn.UserManager.GetRolesAsync(user);
        var token = StaffAuthentication.CreateToken(configuration, user.Id, user.DisplayName, roles, clock);
        Response.Cookies.Append(StaffAuthentication.CookieName, token, StaffAuthentication.CookieOptions(Request));
        db.AuditLog.Add(AuditEntry.By($"{user.DisplayName} ({user.Id})", "staff.signed-in", clock));
        await db.SaveChangesAsync();
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/cases");
    }

    public IActionResult OnPostSignOut()
    {
        Response.Cookies.Delete(StaffAuthentication.CookieName, StaffAuthentication.CookieOptions(Request));
        return LocalRedirect(StaffAuthentication.SignInPath);
    }
}
