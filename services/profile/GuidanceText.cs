using System.Text;
using Harbour.Contracts;

namespace Harbour.Profile;

// Guidance Markdown may name facts the profile already holds, so that they are written once and never disagree:
// {{institution}} (the institution's name) and {{retention}} (a list of how long each kind of report is kept, from
// the retention section). The privacy notice uses both.
public static class GuidanceText
{
    // The slug of the privacy notice (/guidance/privacy), linked from the report form, the check page and every footer.
    public const string PrivacyNotice = "privacy";

    public static GuidancePage Filled(this GuidancePage page, InstitutionProfile profile) =>
        page.Markdown.Contains("{{", StringComparison.Ordinal)
            ? page with { Markdown = page.Markdown.Replace("{{institution}}", profile.Name).Replace("{{retention}}", Retention(profile)) }
            : page;

    // "- **With my name**: 6 years after the case is closed." for each kind the profile keeps a period for, and
    // "- **With my name**, when the case ends as *No contact*: 2 years after the case is closed." for a kind and outcome.
    static string Retention(InstitutionProfile profile)
    {
        var list = new StringBuilder();
        foreach (var rule in profile.Retention)
        {
            var kind = profile.Kinds.FirstOrDefault(k => k.Id == rule.Kind)?.Name ?? rule.Kind;
            var outcome = rule.Outcome is null ? "" : $", when the case ends as *{profile.Outcomes.FirstOrDefault(o => o.Id == rule.Outcome)?.Name ?? rule.Outcome}*";
            var period = rule.Months % 12 == 0 ? Count(rule.Months / 12, "year") : Count(rule.Months, "month");
            list.Append($"\n- **{kind}**{outcome}: {period} {(rule.AfterClosure ? "after the case is closed" : "from when the report was sent")}, then due for deletion.");
        }
        return list.Length == 0 ? "" : list.Append('\n').ToString();
    }

    static string Count(int n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";
}
