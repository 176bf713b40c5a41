namespace Harbour.Intake.Reports;

public sealed record Choice(string Code, string Name);

// The choices a reporter picks from. These are the example university's defaults; the institution
// profile replaces them with the institution's own lists.
public static class ReportOptions
{
    public static readonly Choice[] Kinds =
    [
        new("anonymous", "Anonymously: we will not know who you are"),
        new("named", "With my name: a case manager can contact me"),
        new("meeting", "I would like to meet a case manager"),
    ];

    // Alphabetical, with "Something else" last.
    public static readonly Choice[] Categories = new Choice[]
    {
        new("race", "Race"),
        new("sexual-harassment", "Sexual harassment"),
        new("sexual-misconduct", "Sexual misconduct or violence"),
        new("offensive-advertising", "Offensive advertising"),
        new("disability", "Disability"),
        new("religion", "Religion or faith"),
        new("gender-identity", "Gender identity"),
        new("sexual-orientation", "Sexual orientation"),
        new("stalking", "Stalking"),
        new("domestic-abuse", "Domestic abuse"),
        new("bullying", "Bullying"),
        new("online-harassment", "Online harassment"),
        new("hate-crime", "Hate crime"),
        new("other", "Something else"),
    }.OrderBy(c => c.Code == "other").ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToArray();

    public static readonly Choice[] Locations =
    [
        new("city-campus/library", "City campus: Library"),
        new("city-campus/students-union", "City campus: Students' Union"),
        new("city-campus/engineering", "City campus: Engineering Building"),
        new("city-campus/other", "City campus: another building or outdoors"),
        new("park-campus/halls", "Park campus: Halls of residence"),
        new("park-campus/sports-centre", "Park campus: Sports Centre"),
        new("park-campus/other", "Park campus: another building or outdoors"),
        new("online", "Online (social media, email, messaging)"),
        new("off-campus", "Off campus"),
    ];

    public static readonly Choice[] ReporterRoles =
    [
        new("student", "Student"),
        new("staff", "Member of staff"),
        new("visitor", "Visitor or member of the public"),
    ];

    public static string NameOf(this Choice[] choices, string code) =>
        choices.FirstOrDefault(c => c.Code == code)?.Name ?? code;
}
