using Microsoft.AspNetCore.Identity;

namespace Harbour.Cases.Staff;

public sealed class StaffUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
}
