using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Cases.Staff;

// /cases/passphrase/reset/{token}: the emailed link. A new passphrase, twice; then every session of the account ends and
// its owner signs in with the new passphrase and their second factor.
public sealed class PassphraseResetPageModel(CasesDbContext db, UserManager<StaffUser> users, TimeProvider clock) : PageModel
{
    public StaffUser? Account { get; private set; }
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task OnGetAsync(string token, CancellationToken ct)
    {
        Account = await db.PassphraseResetAsync(users, token, ct) is var (reset, user) && reset.IsOpen(clock) ? user : null;
        if (Account is null) Response.StatusCode = StatusCodes.Status404NotFound;
    }

    public async Task<IActionResult> OnPostAsync(string token, string? passphrase, string? again, CancellationToken ct)
    {
        var found = await db.PassphraseResetAsync(users, token, ct);
        // The same form again (a double click, a retry) moments after it set the passphrase: it is set.
        if (found?.Reset.UsedAt is { } usedAt && clock.GetUtcNow() - usedAt < TimeSpan.FromMinutes(10)) return Redirect("/cases/sign-in?reset=1");
        if (found is not var (reset, user) || !reset.IsOpen(clock))
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        Account = user;
        Errors = await db.ResetPassphraseAsync(users, reset, passphrase, again, clock, ct);
        if (Errors.Count == 0) return Redirect("/cases/sign-in?reset=1");
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
