using System.Linq.Expressions;
using Harbour.Contracts;

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
    public required string SealedDetails { get; init; }
    // The specialism teams the case is routed to on arrival (its categories' specialisms): who may see it (NeedToKnow).
    public List<string> Teams { get; private init; } = [];
    public string Status { get; private set; } = CaseStatuses.Received;
    // The profile version the case was opened under: its playbook and deadlines do not move when the profile does.
    public int ProfileVersion { get; private init; }
    public DateTimeOffset SubmittedAt { get; private init; }
    public DateTimeOffset OpenedAt { get; private init; }

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
}

public sealed record CaseSummary(
    string Reference, string Kind, IReadOnlyList<string> Categories, string Location, string ReporterRole,
    string Status, DateTimeOffset SubmittedAt, DateTimeOffset OpenedAt, int ProfileVersion);

public sealed record CaseView(CaseSummary Summary, ReportDetails Details, CasePlan Plan, IReadOnlyList<CaseMessageView> Messages,
    IReadOnlyList<EvidenceView> Evidence);

public sealed record CaseMessageView(string From, string Body, DateTimeOffset At, string? SentBy);

public static class CaseMapping
{
    static readonly Expression<Func<Case, CaseSummary>> Projection = c =>
        new CaseSummary(c.Reference, c.Kind, c.Categories, c.Location, c.ReporterRole, c.Status, c.SubmittedAt, c.OpenedAt, c.ProfileVersion);
    static readonly Func<Case, CaseSummary> Project = Projection.Compile();

    public static IQueryable<CaseSummary> ToSummaries(this IQueryable<Case> cases) => cases.Select(Projection);
    public static CaseSummary ToSummary(this Case c) => Project(c);
}
