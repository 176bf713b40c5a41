using System.Security.Claims;
using Harbour.Cases.Audit;
using Harbour.Cases.Casework;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.SubjectAccess;

/// <summary>Who a subject access request (UK GDPR Article 15) is about: an email address (matched whole, any case) and/or a
/// name (at least 3 characters, matched as part of a name or of the report's words, any case).</summary>
public sealed record SubjectAccessQuery(string? Email, string? Name);

/// <summary>What the case side holds about one person, for a data-protection officer to review and release: the cases where
/// they are the reporter (by their contact email or name) or are named in someone else's report; the staff accounts with
/// their address. Made: when (UTC). Times are UTC; dates are UK dates.</summary>
public sealed record SubjectAccessExport(string SearchedFor, DateTimeOffset Made, IReadOnlyList<SubjectAccessCase> Cases,
    IReadOnlyList<SubjectAccessAccount> Accounts);

/// <summary>One case in a subject access export. Found: how the person was found in it. Review: what in it is, or may be,
/// other people's information, to be weighed before release (Data Protection Act 2018, Schedule 2, Part 3: information about
/// other individuals). StaffRecords: the case team's notes and reasons, which may name others. Files are listed, not included.</summary>
public sealed record SubjectAccessCase(string Reference, string Kind, DateTimeOffset SubmittedAt, string Status, string Found,
    IReadOnlyList<string> Review, ReportDetails Report, IReadOnlyList<CaseMessageView> Messages, IReadOnlyList<Meetings.MeetingView> Meetings,
    IReadOnlyList<Support.ReferralView> Support, IReadOnlyList<EvidenceView> Files, IReadOnlyList<TimelineItem> StaffRecords);

/// <summary>A staff account with the person's email address: its name, roles, and how many audit entries name it as actor.</summary>
public sealed record SubjectAccessAccount(string DisplayName, string Email, IReadOnlyList<string> Roles, int AuditEntries);

public static class SubjectAccessSearch
{
    public const int NameMinimum = 3;

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
        var found = new List<(string Reference, string How, bool Reporter)>();
        await foreach (var c in db.VisibleCases(user).AsNoTracking().OrderBy(c => c.SubmittedAt).Select(c => new { c.Reference, c.SealedDetails })
            .AsAsyncEnumerable().WithCancellation(ct))
        {
            var details = sealer.Open<ReportDetails>(c.SealedDetails);
            if (email is not null && string.Equals(details.ContactEmail?.Trim(), email, StringComparison.OrdinalIgnoreCase))
                found.Add((c.Reference, "their email address, as the reporter", true));
            else if (name is not null && details.ContactName?.Contains(name, StringComparison.OrdinalIgnoreCase) == true)
                found.Add((c.Reference, "their name, as the reporter", true));
            else if (name is not null && (details.PeopleInvolved?.Any(p => p.Contains(name, StringComparison.OrdinalIgnoreCase)) == true
                || details.Description.Contains(name, StringComparison.OrdinalIgnoreCase)))
                found.Add((c.Reference, "their name, in a report someone else made", false));
        }
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
        return new(string.Join(", ", new[] { email, name }.OfType<string>()), clock.GetUtcNow(), cases, accounts);
    }

    static SubjectAccessCase Exported(CaseView view, string how, bool reporter)
    {
        var review = new List<string>();
        if (!reporter) review.Add("The report was made by someone else: most of it is their information and others'.");
        if (view.Details.PeopleInvolved is { Count: > 0 } people) review.Add($"The report names other people: {string.Join(", ", people)}.");
        var records = view.Work.Timeline.Where(t => t.Text is not null && t.Kind is not "message" and not "report" and not "file").ToList();
        if (records.Count > 0) review.Add("The case team's notes and reasons may hold others' information.");
        if (view.Evidence.Count > 0) review.Add("Files are listed, not included: review each on the case before release.");
        var s = view.Summary;
        return new(s.Reference, s.Kind, s.SubmittedAt, s.Status, how, review, view.Details, view.Messages, view.Work.Meetings, view.Work.Referrals,
            view.Evidence, records);
    }

    static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
