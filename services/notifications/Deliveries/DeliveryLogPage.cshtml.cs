using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Notifications.Deliveries;

// /notifications/deliveries: every email sent or still failing, newest first, for admins. Never a body; a reporter's address
// is not even kept here.
[Authorize(Policy = StaffPolicies.Administration)]
public sealed class DeliveryLogPageModel(NotificationsDbContext db) : PageModel
{
    public DeliveryFilter Filter { get; private set; } = new(null, null, null);
    public List<DeliveryRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(string? purpose, string? status, DateTimeOffset? before, CancellationToken ct)
    {
        // PostgreSQL takes UTC times only: a hand-typed offset is read as the moment it names.
        Filter = new(string.IsNullOrEmpty(purpose) ? null : purpose, status is "sent" or "not-sent" ? status : null, before?.ToUniversalTime());
        Rows = await db.DeliveriesAsync(Filter, ct);
    }
}
