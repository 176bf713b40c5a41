using Harbour.Cases.Casework;
using Harbour.Contracts;
using Harbour.Profile;

namespace Harbour.Cases.Retention;

// When a case's data is due to go, by the current institution profile's retention section: for each kind of report, a number
// of months counted from submission, or from closure (then an open case waits). A case on legal hold is never due. A kind
// with no rule is kept (and shown so on the retention page).
public static class RetentionSchedule
{
    public static Contracts.Retention? RuleFor(IReadOnlyList<Contracts.Retention> rules, string kind) =>
        rules.FirstOrDefault(r => r.Kind == kind);

    // "anonymous reports: 12 months from submission"
    public static string Describe(Contracts.Retention rule) =>
        $"{rule.Kind} reports: {rule.Months} months from {(rule.AfterClosure ? "closure" : "submission")}";

    // The UK date from which the case is due to go, or null: no rule for its kind, or its rule counts from a closure that has
    // not happened.
    public static DateOnly? DueOn(Case found, IReadOnlyList<Contracts.Retention> rules) =>
        RuleFor(rules, found.Kind) is not { } rule ? null
        : rule.AfterClosure ? found.ClosedAt is { } closed ? DateOnly.FromDateTime(closed.InUk().DateTime).AddMonths(rule.Months) : null
        : DateOnly.FromDateTime(found.SubmittedAt.InUk().DateTime).AddMonths(rule.Months);

    // Cases due on or before the UK date given under one rule, not on legal hold: counted from a UK date whose due date
    // (DueOn: the same day so many months on, or the month's last day when it has no such day) is on or before it.
    public static IQueryable<Case> DueBy(this IQueryable<Case> cases, Contracts.Retention rule, DateOnly day)
    {
        var before = UkTime.StartOf(LatestStartDueBy(day, rule.Months).AddDays(1));
        cases = cases.Where(c => c.Kind == rule.Kind && c.LegalHoldSince == null);
        return rule.AfterClosure
            ? cases.Where(c => c.Status == CaseStatuses.Closed && c.ClosedAt != null && c.ClosedAt < before)
            : cases.Where(c => c.SubmittedAt < before);
    }

    // The latest UK date that, so many months on, falls on or before day: AddMonths never goes back, so it is within the
    // few days after day less the months (29 to 31 August, six months on, are all 28 February).
    public static DateOnly LatestStartDueBy(DateOnly day, int months)
    {
        var start = day.AddMonths(-months);
        while (start.AddDays(1).AddMonths(months) <= day) start = start.AddDays(1);
        return start;
    }
}
