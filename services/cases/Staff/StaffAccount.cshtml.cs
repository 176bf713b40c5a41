using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Cases.Staff;

// /cases/staff/{id}, for admins: one account's name, roles and teams. A change of roles ends its sessions.
[Authorize(Policy = StaffPolicies.Administration)]
public sealed class StaffAccountModel(CasesDbContext db, UserManager<StaffUser> users, TimeProvider clock) : PageModel
{
    public StaffUser? Account { get; private set; }
    public List<string> Teams { get; private set; } = [];
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public List<string> Roles { get; set; } = [];
    [BindProperty] public List<string> ChosenTeams { get; set; } = [];
    [BindProperty] public bool TeamLead { get; set; }
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        if (await users.FindByIdAsync(id) is not { } account) return NotFound();
        Account = account;
        (DisplayName, Roles, ChosenTeams, TeamLead) = (account.DisplayName, [.. await users.GetRolesAsync(account)], account.Teams, account.TeamLead);
        Teams = await db.TeamsAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken ct)
    {
        var (found, errors) = await db.ChangeAccountAsync(users, id, new AccountChange(DisplayName, Roles, ChosenTeams, TeamLead), User, clock, ct);
        if (!found) return NotFound();
        if (errors.Count == 0)
        {
            TempData["notice"] = "The account is changed.";
            return Redirect("/cases/staff");
        }
        (Errors, Account, Teams, Response.StatusCode) = (errors, await users.FindByIdAsync(id), await db.TeamsAsync(ct), StatusCodes.Status400BadRequest);
        return Page();
    }

    public async Task<IActionResult> OnPostResetSecondFactorAsync(string id, CancellationToken ct)
    {
        if (!await db.ResetSecondFactorAsync(users, id, User, clock, ct)) return NotFound();
        TempData["notice"] = "Their second factor is reset: they are signed out, and set up their authenticator app again when they next sign in.";
        return Redirect("/cases/staff");
    }
}
