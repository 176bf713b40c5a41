using System.Security.Claims;
using Harbour.Cases.Audit;
using Harbour.Contracts;
using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Casework;

/// <summary>What the queue shows (the query string of <c>/cases</c> and <c>GET /api/cases</c>). Status: a status code,
/// "open" (every status but closed; the default) or "all". Category, Kind: codes of the profile. Place: a place code, or a
/// campus code for all its places. Team: a specialism. Assignee: "me", "none" or a staff account id. Overdue: a step's
/// deadline has passed unmet. DueToday: the next step is due today. Unread: the reporter wrote since a case manager last opened the case. Search: part of a
/// reference, or a whole tag. Page: from 1, 50 cases a page.</summary>
public sealed record QueueFilter(string? Status = null, string? Category = null, string? Kind = null, string? Place = null, string? Team = null,
    string? Assignee = null, bool Overdue = false, bool DueToday = false, bool Unread = false, string? Search = null, int Page = 1)
{
    public const int PageSize = 50;
}

/// <summary>One case in the queue. Assignee: display name, null while it waits for assignment. NextStep and NextDueOn:
/// the step due soonest that is not done yet (a UK date), null when every step is done. Unread: messages from the reporter
/// since a case manager last opened the case.</summary>
public sealed record QueueRow(string Reference, DateTimeOffset SubmittedAt, string Kind, IReadOnlyList<string> Categories, string Location,
    IReadOnlyList<string> Teams, string Status, string? AssigneeId, string? Assignee, string? NextStep, DateOnly? NextDueOn, bool Overdue, int Unread);

// The queue: the cases a person may see, those awaiting assignment first, then by how soon a step is due.
public static class CaseQueue
{
    public static async Task<(List<QueueRow> Rows, int Total)> QueueAsync(this CasesDbContext db, ClaimsPrincipal user, QueueFilter filter,
        TimeProvider clock, CancellationToken ct)
    {
        var today = UkTime.Today(clock);
        var rows = db.Rows(user, filter, today);
        var total = await rows.CountAsync(ct);
        var page = await rows
            // In the order of the queue's index; PostgreSQL puts nulls (every step done) last.
            .OrderByDescending(r => r.Case.AwaitingAssignment)
            .ThenBy(r => r.Case.NextDueOn)
            .ThenBy(r => r.Case.SubmittedAt)
            .ThenBy(r => r.Case.Reference)
            .Skip((Math.Clamp(filter.Page, 1, 100_000) - 1) * QueueFilter.PageSize).Take(QueueFilter.PageSize)
            .ToListAsync(ct);
        db.AuditLog.Add(AuditEntry.By(user, "cases.listed", clock, detail: $"{page.Count} of {total} cases"));
        await db.SaveChangesAsync(ct);
        return (page.Select(r => new QueueRow(r.Case.Reference, r.Case.SubmittedAt, r.Case.Kind, r.Case.Categories, r.Case.Location, r.Case.Teams,
            r.Case.Status, r.Case.AssigneeId, r.Assignee, r.Case.NextStep, r.Case.NextDueOn, r.Case.NextDueOn < today, r.Unread)).ToList(), total);
    }

    // My work: my open cases, with how many have a step due today, are overdue, or hold unread messages.
    public static async Task<MyWork> MyWorkAsync(this CasesDbContext db, ClaimsPrincipal user, Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        var today = UkTime.Today(clock);
        var me = user.FindFirstValue("sub");
        var mine = new QueueFilter(Assignee: "me");
        var (open, total) = await db.QueueAsync(user, mine, clock, ct);
        // My tasks not done yet, soonest first, on cases I may still see.
        var tasks = await (from t in db.Tasks
                           join c in db.VisibleCases(user) on t.CaseId equals c.Id
                           where t.OwnerId == me && t.DoneAt == null && c.Status != CaseStatuses.Closed
                           orderby t.DueOn
                           select new { c.Reference, t.SealedTitle, t.DueOn }).Take(100).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var meetings = await (from m in db.Meetings
                              join c in db.VisibleCases(user) on m.CaseId equals c.Id
                              where m.WithId == me && m.Status == Meetings.MeetingStatuses.Scheduled && m.StartsAt > now.AddHours(-2) && m.StartsAt < now.AddDays(14)
                              orderby m.StartsAt
                              select new MyMeeting(c.Reference, m.StartsAt, m.Minutes, m.Format, m.Where)).ToListAsync(ct);
        return new MyWork(open, total,
            await db.Rows(user, mine with { DueToday = true }, today).CountAsync(ct),
            await db.Rows(user, mine with { Overdue = true }, today).CountAsync(ct),
            await db.Rows(user, mine with { Unread = true }, today).CountAsync(ct),
            tasks.Select(t => new MyTask(t.Reference, sealer.Open<string>(t.SealedTitle), t.DueOn, t.DueOn < today)).ToList(), meetings);
    }

    sealed class Row
    {
        public required Case Case { get; init; }
        public int Unread { get; init; }
        public string? Assignee { get; init; }
    }

    static IQueryable<Row> Rows(this CasesDbContext db, ClaimsPrincipal user, QueueFilter filter, DateOnly today)
    {
        var me = user.FindFirstValue("sub");
        var cases = db.VisibleCases(user);
        cases = filter.Status switch
        {
            null or "" or "open" => cases.Where(c => c.Status != CaseStatuses.Closed),
            "all" => cases,
            var status => cases.Where(c => c.Status == status),
        };
        if (Given(filter.Category) is { } category) cases = cases.Where(c => c.Categories.Contains(category));
        if (Given(filter.Kind) is { } kind) cases = cases.Where(c => c.Kind == kind);
        if (Given(filter.Place) is { } place) cases = cases.Where(c => c.Location == place || c.Location.StartsWith(place + "/"));
        if (Given(filter.Team) is { } team) cases = cases.Where(c => c.Teams.Contains(team));
        cases = Given(filter.Assignee) switch
        {
            null => cases,
            "me" => cases.Where(c => c.AssigneeId == me),
            "none" => cases.Where(c => c.AssigneeId == null),
            var id => cases.Where(c => c.AssigneeId == id),
        };
        if (Given(filter.Search) is { } search)
        {
            // LIKE rather than Contains (strpos), so that the trigram index serves it; the search's own % and _ are literal.
            var part = "%" + search.ToUpperInvariant().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            cases = cases.Where(c => EF.Functions.Like(c.Reference, part) || c.Tags.Contains(search.ToLowerInvariant()));
        }

        var rows = cases.Select(c => new Row
        {
            Case = c,
            Unread = db.Messages.Count(m => m.ReportId == c.ReportId && m.From == MessageSenders.Reporter && (c.LastReadAt == null || m.At > c.LastReadAt)),
            Assignee = db.Users.Where(u => u.Id == c.AssigneeId).Select(u => u.DisplayName).FirstOrDefault(),
        });
        if (filter.Overdue) rows = rows.Where(r => r.Case.NextDueOn < today);
        if (filter.DueToday) rows = rows.Where(r => r.Case.NextDueOn == today);
        if (filter.Unread) rows = rows.Where(r => r.Unread > 0);
        return rows;
    }

    static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>A case manager's own work: their open cases (the first page, soonest due first) and how many there are, how many
/// have their next step due today, how many are overdue, how many hold unread messages from the reporter; and their tasks not done
/// yet, soonest first (at most 100); and their meetings with reporters in the next 14 days, soonest first.</summary>
public sealed record MyWork(IReadOnlyList<QueueRow> Cases, int Open, int DueToday, int Overdue, int Unread, IReadOnlyList<MyTask> Tasks,
    IReadOnlyList<MyMeeting> Meetings);

/// <summary>One of my meetings: its case, when (UTC; shown in UK time), minutes, format (a MeetingFormats code) and where.</summary>
public sealed record MyMeeting(string Reference, DateTimeOffset StartsAt, int Minutes, string Format, string? Where);

/// <summary>One of my tasks: its case, what, by when (a UK date), overdue.</summary>
public sealed record MyTask(string Reference, string Title, DateOnly DueOn, bool Overdue);
