using Harbour.Contracts;

namespace Harbour.Intake.Reports;

// The reporter's choices from the institution profile, in the order the form offers them. The answers that are
// Harbour's own (roles, relations...) are in the contracts' vocabulary.
public static class ReportOptions
{
    public static IEnumerable<ReportKindText> KindsInOrder(this InstitutionProfile profile) =>
        profile.Kinds.OrderBy(k => Array.IndexOf(ReportKinds.All, k.Id));

    // Alphabetical, with "Something else" last.
    public static IEnumerable<Category> CategoriesInOrder(this InstitutionProfile profile) =>
        profile.Categories.OrderBy(c => c.Id == "other").ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase);

    // Buildings grouped by campus, places without a campus (online, off campus) after them.
    public static IEnumerable<IGrouping<string?, Place>> PlacesByCampus(this InstitutionProfile profile) =>
        profile.Places.GroupBy(p => p.Campus).OrderBy(g => g.Key is null);

    // The support that fits a report, urgent help first: services for the reporter's role that help with any
    // of its categories (a service with no categories helps with all).
    public static IEnumerable<SupportService> SupportFor(this InstitutionProfile profile, string role, IReadOnlyCollection<string> categories) =>
        profile.Support
            .Where(s => s.Serves.Contains(role) && (s.Categories.Count == 0 || s.Categories.Any(categories.Contains)))
            .OrderByDescending(s => s.Urgent).ThenByDescending(s => s.Categories.Count > 0);
}

// A set of radios or checkboxes on the report form, with its legend, hint and mistake.
public sealed record ChoiceGroup(string Field, string Legend, string? Hint, IReadOnlyList<Term> Choices, IReadOnlyCollection<string?> Selected,
    bool Multiple = false, string? Error = null);
