using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Cases.Staff;

// /cases/staff, for admins: who has an account, with which roles and teams; invite someone; disable or enable an account.
[Authorize(Policy = StaffPolicies.Administration)]
public sealed class StaffListModel(CasesDbContext db, UserManager<StaffUser> users, IConfiguration configuration,
    [FromKeyedServices(Sealer.Mail)] Sealer mail, TimeProvider clock) : PageModel
{
    public List<StaffAccountView> Accounts { get; private set; } = [];
    public List<string> Teams { get; private set; } = [];
    [BindProperty] public InvitationForm Invite { get; set; } = new();
    public Dictionary<string, string[]> Errors { get; private set; } = [];
    public string? Notice { get; private set; }

    public sealed class InvitationForm
    {
        public string? Email { get; set; }
        public string? DisplayName { get; set; }
        public List<string> Roles { get; set; } = [];
        public List<string> Teams { get; set; } = [];
        public bool TeamLead { get; set; }
        public InvitationRequest ToRequest() => new(Email, DisplayName, Roles, Teams, TeamLead);
    }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostInviteAsync(bool sendAgain, CancellationToken ct)
    {
        var (sent, errors) = await db.InviteAsync(Invite.ToRequest(), User, configuration, mail, clock, ct, sendAgain);
        if (sent is null)
        {
            (Errors, Response.StatusCode) = (errors, StatusCodes.Status400BadRequest);
            await LoadAsync(ct);
            return Page();
        }
        TempData["notice"] = $"{sent.DisplayName} is invited: an email with a link to choose a passphrase is on its way to {sent.Email}. The link works until {sent.ExpiresAt.InUk():d MMMM yyyy}.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDisableAsync(string id, bool disabled, CancellationToken ct)
    {
        var (found, problem) = await db.SetDisabledAsync(users, id, disabled, User, clock, ct);
        if (!found) return NotFound();
        TempData["notice"] = problem ?? (disabled ? "The account is disabled: its sessions have ended." : "The account can sign in again.");
        return RedirectToPage();
    }

    public string? ErrorFor(string field) => Errors.TryGetValue(field, out var messages) ? messages[0] : null;

    async Task LoadAsync(CancellationToken ct)
    {
        Accounts = await db.ListStaffAsync(clock, ct);
        Teams = await db.TeamsAsync(ct);
        Notice = TempData["notice"] as string;
    }
}
