using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Notifications.Templates;

// /notifications/templates: the emails whose words the institution may change, and whether it has.
[Authorize(Policy = StaffPolicies.Administration)]
public sealed class TemplateListModel(NotificationsDbContext db) : PageModel
{
    public Dictionary<string, EmailTemplate> Own { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Own = await db.Templates.AsNoTracking().ToDictionaryAsync(t => t.Purpose, ct);
}
