using Microsoft.AspNetCore.Identity;

namespace Harbour.Cases.Staff;

// A staff account. Roles (Admin, CaseManager, Analyst) are Identity's; Teams are the specialisms of the institution
// profile whose cases the person works on, and a team lead sees their teams' cases. An account is never deleted while
// cases refer to it: it is disabled, which ends its sessions and refuses its sign-ins.
public sealed class StaffUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public List<string> Teams { get; set; } = [];
    public bool TeamLead { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }
}
