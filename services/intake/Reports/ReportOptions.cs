using Harbour.Contracts;

namespace Harbour.Intake.Reports;

public sealed record Choice(string Code, string Name);

// The reporter's choices. Kinds, categories and places come from the institution profile; the roles a
// reporter can have are Harbour's own.
public static class ReportOptions
{
    public static readonly Choice[] ReporterRoles =
    [
        new("student", "Student"),
        new("staff", "Member of staff"),
        new("visitor", "Visitor or member of the public"),
    ];

    public static readonly Choice[] Relations =
    [
        new("me", "Me"),
        new("witnessed", "Someone else: I saw or heard it"),
        new("on-behalf", "Someone else: I am reporting for them"),
    ];

    public static readonly Choice[] People =
    [
        new("student", "A student"),
        new("staff", "A member of staff"),
        new("external", "Someone from outside the university"),
        new("unknown", "I do not know"),
    ];

    public static readonly Choice[] HowMany = [new("one", "One person"), new("several", "More than one"), new("not-sure", "I am not sure")];

    public static readonly Choice[] ContactMethods = [new("email", "Email"), new("phone", "Phone")];

    public static readonly Choice[] MeetingFormats = [new("in-person", "In person"), new("online", "Online (video call)"), new("phone", "By phone")];

    public static string NameOf(this Choice[] choices, string? code) => choices.FirstOrDefault(c => c.Code == code)?.Name ?? code ?? "";

    public static readonly string[] KindOrder = ["anonymous", "named", "meeting"];

    public static IEnumerable<ReportKindText> KindsInOrder(this InstitutionProfile profile) =>
        profile.Kinds.OrderBy(k => Array.IndexOf(KindOrder, k.Id));

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
public sealed record ChoiceGroup(string Field, string Legend, string? Hint, Choice[] Choices, IReadOnlyCollection<string?> Selected,
    bool Multiple = false, string? Error = null);
