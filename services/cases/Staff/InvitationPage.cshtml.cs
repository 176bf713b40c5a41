using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Cases.Staff;

// /cases/invitation/{token}: the invited person chooses a passphrase, once, before the link expires.
public sealed class InvitationPageModel(CasesDbContext db, UserManager<StaffUser> users, TimeProvider clock) : PageModel
{
    public Invitation? Invitation { get; private set; }
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task OnGetAsync(string token, CancellationToken ct)
    {
        Invitation = await db.InvitationAsync(token, ct) is { } invitation && invitation.IsOpen(clock) ? invitation : null;
        if (Invitation is null) Response.StatusCode = StatusCodes.Status404NotFound;
    }

    public async Task<IActionResult> OnPostAsync(string token, string? passphrase, string? again, CancellationToken ct)
    {
        var invitation = await db.InvitationAsync(token, ct);
        // The same form again (a double click, a retry) moments after it made the account: the account is there.
        if (invitation?.AcceptedAt is { } acceptedAt && clock.GetUtcNow() - acceptedAt < TimeSpan.FromMinutes(10)) return Redirect("/cases/sign-in?joined=1");
        Invitation = invitation?.IsOpen(clock) == true ? invitation : null;
        if (Invitation is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        Errors = await db.AcceptAsync(users, Invitation, passphrase, again, clock, ct);
        if (Errors.Count == 0) return Redirect($"/cases/sign-in?joined=1");
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
