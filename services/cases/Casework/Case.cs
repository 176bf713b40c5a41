using System.Linq.Expressions;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;

namespace Harbour.Cases.Casework;

public sealed class Case
{
    public Guid Id { get; private init; }
    public Guid ReportId { get; private init; }
    public required string Reference { get; init; }
    public required string Kind { get; init; }
    public required List<string> Categories { get; init; }
    public required string Location { get; init; }
    public required string ReporterRole { get; init; }
    public string SealedDetails { get; private set; } = "";
    // The fields of the report redacted (RedactableFields codes): emptied for good, shown as redacted.
    public List<string> RedactedFields { get; private set; } = [];
    // How the report reached Harbour (ReportChannels): the form, the API, or a disclosure recorded by staff.
    public string Channel { get; private init; } = ReportChannels.Form;
    // The specialism teams the case is routed to on arrival (its categories' specialisms): who may see it (NeedToKnow).
    public List<string> Teams { get; private set; } = [];
    public string Status { get; private set; } = CaseStatuses.Received;
    // The profile version the case was opened under: its playbook and deadlines do not move when the profile does.
    public int ProfileVersion { get; private init; }
    public DateTimeOffset SubmittedAt { get; private init; }
    public DateTimeOffset OpenedAt { get; private init; }
    // The case manager who has the case (a staff account id), or none: then it waits in its teams' queue.
    public string? AssigneeId { get; private set; }
    // Set while the case is closed: the outcome (a code of the profile's outcomes) and when.
    public string? Outcome { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    // What happened and what helped, in general words, for the steering group (sealed; it travels in CaseClosed).
    public string? SealedLearningSummary { get; private set; }
    // Words a case manager gives the case, for search and for analytics' themes: lower case, at most 40 characters each.
    public List<string> Tags { get; set; } = [];
    // When a case manager last opened the case: the reporter's messages since then are unread.
    public DateTimeOffset? LastReadAt { get; private set; }
    // PostgreSQL's row version (xmin): two case managers changing the case at the same moment cannot both win.
    public uint Version { get; private set; }

    public static Case Open(ReportSubmitted report, IReadOnlyList<string> teams, TimeProvider clock) => new()
    {
        Teams = [.. teams],
        ProfileVersion = report.ProfileVersion,
        Id = Guid.CreateVersion7(),
        ReportId = report.ReportId,
        Reference = report.Reference,
        Kind = report.Kind,
        Categories = report.Categories.ToList(),
        Location = report.Location,
        ReporterRole = report.ReporterRole,
        SealedDetails = report.SealedDetails,
        Channel = report.Channel,
        SubmittedAt = report.SubmittedAt,
        OpenedAt = clock.GetUtcNow(),
    };

    // A status change is news for the reporter; the same status again is not.
    public CaseStatusChanged? ChangeStatus(string status, TimeProvider clock)
    {
        if (status == Status || !CaseStatuses.Terms.Has(status)) return null;
        Status = status;
        return new CaseStatusChanged(ReportId, Reference, status, clock.GetUtcNow());
    }

    // Given to a case manager (or to a team: no person, and the team sees it).
    public void Assign(string? assigneeId, string? team)
    {
        AssigneeId = assigneeId;
        if (team is not null && !Teams.Contains(team)) Teams.Add(team);
    }

    public CaseStatusChanged? Close(string outcome, string? sealedLearningSummary, TimeProvider clock)
    {
        (Outcome, ClosedAt, SealedLearningSummary) = (outcome, clock.GetUtcNow(), sealedLearningSummary);
        return ChangeStatus(CaseStatuses.Closed, clock);
    }

    // Empties a field of the report for good: the sealed original is overwritten, not kept aside. False when there was nothing to redact.
    public bool Redact(string field, Sealer sealer)
    {
        var details = sealer.Open<ReportDetails>(SealedDetails);
        if (!details.Holds(field)) return false;
        SealedDetails = sealer.Seal(details.Without(field));
        RedactedFields = [.. RedactedFields, field];
        return true;
    }

    public CaseStatusChanged? Reopen(TimeProvider clock)
    {
        (Outcome, ClosedAt, SealedLearningSummary) = (null, null, null);
        return ChangeStatus(CaseStatuses.WithCaseManager, clock);
    }
}

/// <summary>A case in a list or at the top of its page: Channel is a ReportChannels code (how the report reached Harbour).</summary>
public sealed record CaseSummary(
    string Reference, string Kind, IReadOnlyList<string> Categories, string Location, string ReporterRole,
    string Status, DateTimeOffset SubmittedAt, DateTimeOffset OpenedAt, int ProfileVersion, string Channel = ReportChannels.Form);

/// <summary>A case as a case manager reads it (<c>GET /api/cases/{reference}</c>): the report, the plan, the conversation, the
/// files, and the case work (who has it, its clocks, its timeline, its outcome). RedactedFields: the report's fields redacted
/// (RedactableFields codes), empty in Details.</summary>
public sealed record CaseView(CaseSummary Summary, ReportDetails Details, CasePlan Plan, IReadOnlyList<CaseMessageView> Messages,
    IReadOnlyList<EvidenceView> Evidence, CaseWorkView Work, IReadOnlyList<string> RedactedFields);

/// <summary>The case work on a case. Assignee: display name (null when unassigned). Outcome: the outcome's name, with
/// ClosedAt (UTC) and the learning summary, while the case is closed. Checklist: the playbook's suggested actions and what
/// was decided; Tasks: oldest first; Tags: lower case; Alerts: the departments informed, oldest first, and where each stands; Referrals: the support plan, oldest first; Meetings: soonest first.</summary>
public sealed record CaseWorkView(string? AssigneeId, string? Assignee, IReadOnlyList<string> Teams, IReadOnlyList<StepView> Steps,
    IReadOnlyList<TimelineItem> Timeline, string? Outcome, DateTimeOffset? ClosedAt, string? LearningSummary,
    IReadOnlyList<ChecklistView> Checklist, IReadOnlyList<TaskView> Tasks, IReadOnlyList<string> Tags, IReadOnlyList<Departments.AlertView> Alerts,
    IReadOnlyList<Support.ReferralView> Referrals, IReadOnlyList<Meetings.MeetingView> Meetings);

/// <summary>A response step's clock. State: due, met, met late or overdue (as of today in the UK); DueOn is a UK date.</summary>
public sealed record StepView(string Step, string Label, DateOnly DueOn, int WorkingDays, string State, DateTimeOffset? MetAt, string? MetBy, string? How);

/// <summary>One line of the timeline, oldest first. Kind: report, message, file, or a TimelineKinds code. What: a sentence
/// in the institution's words; Text: what a person wrote (a note, a reason, a learning summary), if any. Id and Corrects
/// link a correction to its note.</summary>
public sealed record TimelineItem(DateTimeOffset At, string Kind, string Who, string What, string? Text, Guid? Id = null, Guid? Corrects = null);

/// <summary>A message of the conversation: From a MessageSenders code; Body empty and RedactedAt set once it was redacted.</summary>
public sealed record CaseMessageView(Guid Id, string From, string Body, DateTimeOffset At, string? SentBy, DateTimeOffset? RedactedAt = null);

public static class CaseMapping
{
    static readonly Expression<Func<Case, CaseSummary>> Projection = c =>
        new CaseSummary(c.Reference, c.Kind, c.Categories, c.Location, c.ReporterRole, c.Status, c.SubmittedAt, c.OpenedAt, c.ProfileVersion, c.Channel);
    static readonly Func<Case, CaseSummary> Project = Projection.Compile();

    public static IQueryable<CaseSummary> ToSummaries(this IQueryable<Case> cases) => cases.Select(Projection);
    public static CaseSummary ToSummary(this Case c) => Project(c);
}
