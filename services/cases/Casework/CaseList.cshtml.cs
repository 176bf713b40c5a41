using Harbour.Cases.Profile;
using Harbour.Cases.Staff;
using Harbour.Contracts;
using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Cases.Casework;

// /cases: the queue, filtered by the query string (QueueFilter), 50 a page. Names are the current profile's.
[Authorize(Policy = StaffPolicies.CaseWork)]
public sealed class CaseListModel(CasesDbContext db, TimeProvider clock) : PageModel
{
    public QueueFilter Filter { get; private set; } = new();
    public List<QueueRow> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public InstitutionProfile Profile { get; private set; } = DefaultProfile.Value;
    public List<string> Teams { get; private set; } = [];
    public List<StaffChoice> Staff { get; private set; } = [];

    public async Task OnGetAsync(QueueFilter filter, CancellationToken ct)
    {
        Filter = filter;
        (Rows, Total) = await db.QueueAsync(User, filter, clock, ct);
        Profile = (await db.CurrentProfileAsync(ct))?.Profile ?? DefaultProfile.Value;
        Teams = await db.TeamsAsync(ct);
        Staff = await db.AssignableStaffAsync(null, ct);
    }

    // This page of the queue with one filter changed (and back to its first page).
    public string With(string name, string? value, int page = 1)
    {
        var query = new Dictionary<string, string?>
        {
            ["status"] = Filter.Status, ["category"] = Filter.Category, ["kind"] = Filter.Kind, ["place"] = Filter.Place, ["team"] = Filter.Team,
            ["assignee"] = Filter.Assignee, ["overdue"] = Filter.Overdue ? "true" : null, ["dueToday"] = Filter.DueToday ? "true" : null,
            ["unread"] = Filter.Unread ? "true" : null, ["search"] = Filter.Search, ["page"] = page > 1 ? page.ToString() : null,
        };
        query[name] = value;
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/cases", query.Where(q => !string.IsNullOrEmpty(q.Value)));
    }
}
