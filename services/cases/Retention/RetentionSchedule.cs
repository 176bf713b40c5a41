using Harbour.Cases.Casework;
using Harbour.Contracts;
using Harbour.Profile;

namespace Harbour.Cases.Retention;

// When a case's data is due to go, by the current institution profile's retention section: for each kind of report, a number
// of months counted from submission, or from closure (then an open case waits); a rule for a kind and an outcome (counted from
// closure) takes the place of the kind's own rule for a case closed with that outcome. A case on legal hold is never due. A
// case no rule covers is kept (and shown so on the retention page).
public static class RetentionSchedule
{
    // The rule that applies to a case: its kind's rule for the outcome it was closed with, else its kind's own rule.
    public static Contracts.Retention? RuleFor(IReadOnlyList<Contracts.Retention> rules, Case found) =>
        (found.Status == CaseStatuses.Closed ? rules.FirstOrDefault(r => r.Kind == found.Kind && r.Outcome is not null && r.Outcome == found.Outcome) : null)
        ?? rules.FirstOrDefault(r => r.Kind == found.Kind && r.Outcome is null);

    // "anonymous reports: 12 months from submission"; "named reports closed as no-contact: 24 months from closure"
    public static string Describe(Contracts.Retention rule) =>
        $"{rule.Kind} reports{(rule.Outcome is null ? "" : $" closed as {rule.Outcome}")}: {rule.Months} months from {(rule.AfterClosure ? "closure" : "submission")}";

    // The UK date from which the case is due to go, or null: no rule for it, or its rule counts from a closure that has not
    // happened.
    public static DateOnly? DueOn(Case found, IReadOnlyList<Contracts.Retention> rules) =>
        RuleFor(rules, found) is not { } rule ? null
        : rule.AfterClosure ? found.ClosedAt is { } closed ? DateOnly.FromDateTime(closed.InUk().DateTime).AddMonths(rule.Months) : null
        : DateOnly.FromDateTime(found.SubmittedAt.InUk().DateTime).AddMonths(rule.Months);

    // Cases due on or before the UK date given under one rule, not on legal hold: counted from a UK date whose due date
    // (DueOn: the same day so many months on, or the month's last day when it has no such day) is on or before it.
    // Under a kind's own rule, cases closed with an outcome that has a rule of its own for the kind are left to that rule.
    public static IQueryable<Case> DueBy(this IQueryable<Case> cases, Contracts.Retention rule, IReadOnlyList<Contracts.Retention> rules, DateOnly day)
    {
        var before = UkTime.StartOf(LatestStartDueBy(day, rule.Months).AddDays(1));
        cases = cases.Where(c => c.Kind == rule.Kind && c.LegalHoldSince == null);
        if (rule.Outcome is not null)
            cases = cases.Where(c => c.Status == CaseStatuses.Closed && c.Outcome == rule.Outcome);
        else if (rules.Where(r => r.Kind == rule.Kind && r.Outcome is not null).Select(r => r.Outcome!).ToList() is { Count: > 0 } ownRules)
            cases = cases.Where(c => c.Status != CaseStatuses.Closed || c.Outcome == null || !ownRules.Contains(c.Outcome));
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
