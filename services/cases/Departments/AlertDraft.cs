using Harbour.Cases.Casework;
using Harbour.Contracts;
using Harbour.Profile;

namespace Harbour.Cases.Departments;

// What a department is told: the case manager's text (from the department's template, filled in from the case), the reporter's
// identity only if they agreed, and how to acknowledge. The minimum necessary: never the reporter's own account of what happened.
public static class AlertDraft
{
    const string DefaultTemplate = "A report ({reference}) concerns {location}, {when}. It is about: {categories}.\n\nWe ask you to: ";
    const string AdviceTemplate = "We would like your advice on case {reference}: {categories}, at {location}, {when}.\n\nOur question: ";

    // The department's template (or, for advice, the request's) with the case's place, time window, categories and reference in it.
    public static string Text(Department department, string purpose, CaseSummary summary, ReportDetails details, InstitutionProfile profile) =>
        (purpose == AlertPurposes.LegalAdvice ? AdviceTemplate : string.IsNullOrWhiteSpace(department.AlertTemplate) ? DefaultTemplate : department.AlertTemplate)
            .Replace("{reference}", summary.Reference)
            .Replace("{location}", profile.PlaceName(summary.Location))
            .Replace("{when}", details.OccurredOn?.ToString("d MMMM yyyy") ?? (string.IsNullOrWhiteSpace(details.OccurredWhen) ? "at a time not given" : details.OccurredWhen.Trim()))
            .Replace("{categories}", string.Join(", ", summary.Categories.Select(profile.CategoryName)))
            .Trim();

    public static string Subject(string institution, string reference, string department, string purpose, bool urgent) =>
        $"{(urgent ? "URGENT: " : "")}{institution}: {(purpose == AlertPurposes.LegalAdvice ? "a request for advice" : "information")} for {department} about case {reference}";

    // repliesTo: who a reply reaches, named in the email (the team, or for advice the person who asked).
    public static string Body(string institution, string department, string text, ReportDetails? identity, DateOnly acknowledgeBy, string? repliesTo = null)
    {
        var who = identity is null ? "" : $"""


            The person who reported agreed that {department} may know who they are. Keep this to the people who need it:
            {string.Join("\n", new[] { identity.ContactName, identity.ContactEmail, identity.ContactPhone }.Concat(Preferences(identity)).Where(v => !string.IsNullOrWhiteSpace(v)))}
            """;
        return $"""
            To {department},

            {text.Trim()}{who}

            Please confirm that you have read this by {acknowledgeBy:dddd d MMMM yyyy}, so that the case manager knows you were told:
            {DepartmentAlertRequested.LinkPlaceholder}
            The link works once and needs no account.

            Sent by the {institution} case-management team. {(repliesTo is null ? "Reply to this email to reach them." : $"Reply to this email to reach {repliesTo} alone.")} Please do not forward it.
            """.Replace("\r\n", "\n");
    }

    // How the reporter asked to be contacted: a department that contacts them must respect it.
    static IEnumerable<string> Preferences(ReportDetails identity)
    {
        if (identity.PreferredContact is { } how) yield return $"They prefer to be contacted by {ReportAnswers.ContactMethods.Label(how).ToLowerInvariant()}.";
        if (!string.IsNullOrWhiteSpace(identity.ContactTimes)) yield return $"Times that suit them: {identity.ContactTimes.Trim()}";
        if (identity.SafeToLeaveMessage == false) yield return "Do NOT leave a message: it is not safe for them.";
    }

    // The body as a case manager reads it: the link's place named (the link itself is the department's alone).
    public static string Shown(string body) => body.Replace(DepartmentAlertRequested.LinkPlaceholder, "[the department's personal acknowledge link]");

    // Whether the report holds an identity a department could be given.
    public static bool HasIdentity(ReportDetails details) =>
        !string.IsNullOrWhiteSpace(details.ContactName) || !string.IsNullOrWhiteSpace(details.ContactEmail) || !string.IsNullOrWhiteSpace(details.ContactPhone);
}
