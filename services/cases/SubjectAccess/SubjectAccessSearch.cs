using System.Security.Claims;
using Harbour.Cases.Audit;
using Harbour.Cases.Casework;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.SubjectAccess;

/// <summary>Who a subject access request (UK GDPR Article 15) is about: an email address (matched whole, any case) and/or a
/// name (at least 3 characters; every word of it must be a whole word of the reporter's name or of the report, any case).</summary>
public sealed record SubjectAccessQuery(string? Email, string? Name);

/// <summary>What the case side holds about one person, for a data-protection officer to review and release: the cases where
/// they are the reporter (by their contact email or name) or are named in someone else's report; the staff accounts with
/// their address. Made: when (UTC). Times are UTC; dates are UK dates.
/// NotSearched: how many cases the searching Admin is recorded as involved in, which they cannot see and so did not search:
/// another Admin must repeat the search.</summary>
public sealed record SubjectAccessExport(string SearchedFor, DateTimeOffset Made, IReadOnlyList<SubjectAccessCase> Cases,
    IReadOnlyList<SubjectAccessAccount> Accounts, int NotSearched);

/// <summary>One case in a subject access export. Found: how the person was found in it. Review: what in it is, or may be,
/// other people's information, to be weighed before release (Data Protection Act 2018, Schedule 2, Part 3: information about
/// other individuals). StaffRecords: the case team's notes and reasons, which may name others. Files are listed, not included.
/// For a report someone else made, only what it says and the people it names: nothing of its reporter or of their case.</summary>
public sealed record SubjectAccessCase(string Reference, string Kind, DateTimeOffset SubmittedAt, string Status, IReadOnlyList<string> Categories,
    string Location, string? Outcome, string Found,
    IReadOnlyList<string> Review, ReportDetails Report, IReadOnlyList<CaseMessageView> Messages, IReadOnlyList<Meetings.MeetingView> Meetings,
    IReadOnlyList<Support.ReferralView> Support, IReadOnlyList<EvidenceView> Files, IReadOnlyList<TimelineItem> StaffRecords);

/// <summary>A staff account with the person's email address: its name, roles, and how many audit entries name it as actor.</summary>
public sealed record SubjectAccessAccount(string DisplayName, string Email, IReadOnlyList<string> Roles, int AuditEntries);

// Too many cases match to be a search for one person.
public sealed class SubjectAccessTooWide(string message) : Exception(message);

public static class SubjectAccessSearch
{
    public const int NameMinimum = 3, MostCases = 200;
    const int Page = 1_000;

    public static FieldProblem? Problem(SubjectAccessQuery query) =>
        string.IsNullOrWhiteSpace(query.Email) && string.IsNullOrWhiteSpace(query.Name) ? new("email", "Give the person's email address, their name, or both.")
        : query.Name is { } name && !string.IsNullOrWhiteSpace(name) && name.Trim().Length < NameMinimum
            ? new("name", $"Give at least {NameMinimum} letters of the name, or search by email address.")
        : null;

    // Every case is opened to be searched (contact details are sealed): about a second for 100,000 cases. Each case found is
    // read as a case page reads it (and audited as "case.subject-access"), without marking its messages read; the search
    // itself is audited without what was searched for.
    public static async Task<SubjectAccessExport> SubjectAccessAsync(this CasesDbContext db, SubjectAccessQuery query, ClaimsPrincipal user,
        Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        var (email, name) = (Blank(query.Email), Blank(query.Name));
        var words = name?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var found = new List<(string Reference, string How, bool Reporter)>();
        // A page at a time, so that a search over many cases never holds them all.
        for (var after = ""; ;)
        {
            var page = await db.VisibleCases(user).AsNoTracking().Where(c => string.Compare(c.Reference, after) > 0).OrderBy(c => c.Reference)
                .Take(Page).Select(c => new { c.Reference, c.SealedDetails }).ToListAsync(ct);
            foreach (var c in page)
            {
                var details = sealer.Open<ReportDetails>(c.SealedDetails);
                if (email is not null && string.Equals(details.ContactEmail?.Trim(), email, StringComparison.OrdinalIgnoreCase))
                    found.Add((c.Reference, "their email address, as the reporter", true));
                else if (name is not null && Names(details.ContactName, words))
                    found.Add((c.Reference, "their name, as the reporter (found by name only: confirm it is them)", true));
                else if (name is not null && (details.PeopleInvolved?.Any(p => Names(p, words)) == true || Names(details.Description, words)))
                    found.Add((c.Reference, "their name, in a report someone else made", false));
            }
            if (found.Count > MostCases)
                throw new SubjectAccessTooWide($"More than {MostCases} cases match: give the whole name, or search by email address.");
            if (page.Count < Page) break;
            after = page[^1].Reference;
        }
        var me = user.FindFirstValue("sub");
        var notSearched = me is null ? 0 : await db.Involvements.CountAsync(i => i.UserId == me, ct);
        var cases = new List<SubjectAccessCase>();
        foreach (var (reference, how, reporter) in found)
            if (await db.ViewCaseAsync(reference, sealer, user, clock, ct, audit: "case.subject-access", markRead: false) is { } view)
                cases.Add(Exported(view, how, reporter));
        var accounts = email is null ? [] : await db.Users.Where(u => u.NormalizedEmail == email.ToUpperInvariant())
            .Select(u => new SubjectAccessAccount(u.DisplayName, u.Email!,
                db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToList(),
                db.AuditLog.Count(a => a.Actor.EndsWith("(" + u.Id + ")"))))
            .ToListAsync(ct);
        var searched = string.Join(" and ", new[] { email is null ? null : "email address", name is null ? null : "name" }.OfType<string>());
        db.AuditLog.Add(AuditEntry.By(user, "subject-access.searched", clock, detail: $"by {searched}: {cases.Count} cases, {accounts.Count} accounts"));
        await db.SaveChangesAsync(ct);
        return new(string.Join(", ", new[] { email, name }.OfType<string>()), clock.GetUtcNow(), cases, accounts, notSearched);
    }

    // Every word of the name is a whole word of the text, any case: "Sam Taylor" finds "Taylor, Sam" but not "same".
    static bool Names(string? text, string[] words) =>
        text is not null && words.Length > 0 && words.All(word =>
            System.Text.RegularExpressions.Regex.IsMatch(text, $@"(?<!\w){System.Text.RegularExpressions.Regex.Escape(word)}(?!\w)",
                System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant));

    static SubjectAccessCase Exported(CaseView view, string how, bool reporter)
    {
        var s = view.Summary;
        if (!reporter)
            return new(s.Reference, s.Kind, s.SubmittedAt, s.Status, s.Categories, s.Location, view.Work.Outcome, how,
                ["The report was made by someone else: only what it says and the people it names are here, and most of that is others' information."],
                new ReportDetails(view.Details.Description, view.Details.OccurredOn, view.Details.OccurredWhen, null, null, null,
                    PeopleInvolved: view.Details.PeopleInvolved), [], [], [], [], []);
        var review = new List<string>();
        if (how.Contains("name only")) review.Add("Found by name only: confirm it is the same person before release.");
        if (view.Details.PeopleInvolved is { Count: > 0 } people) review.Add($"The report names other people: {string.Join(", ", people)}.");
        var records = view.Work.Timeline.Where(t => t.Kind is not "message" and not "report" and not "file").ToList();
        if (records.Count > 0) review.Add("The case team's records, notes and reasons may hold others' information.");
        if (view.Work.Meetings.Any(m => m.Note is not null) || view.Work.Referrals.Any(r => r.Note is not null))
            review.Add("Meeting and support notes may hold others' information.");
        if (view.Evidence.Count > 0) review.Add("Files are listed, not included: review each on the case before release.");
        return new(s.Reference, s.Kind, s.SubmittedAt, s.Status, s.Categories, s.Location, view.Work.Outcome, how, review, view.Details,
            view.Messages, view.Work.Meetings, view.Work.Referrals, view.Evidence, records);
    }

    static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
