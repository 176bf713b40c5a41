using Harbour.Contracts;
using Harbour.Profile;

namespace Harbour.Cases.Casework;

public sealed record SuggestedActions(string Category, IReadOnlyList<string> Actions);

// What the profile a case was opened under asks of its case manager: the playbook actions for its categories
// and the date each step of the response is due, in working days; with the names that profile gives the case's
// categories and place.
public sealed record CasePlan(int ProfileVersion, string KindName, IReadOnlyList<string> CategoryNames, string PlaceName,
    IReadOnlyList<SuggestedActions> Actions, IReadOnlyList<DueDate> Deadlines)
{
    public static CasePlan For(CaseSummary summary, int version, InstitutionProfile profile)
    {
        var actions = summary.Categories
            .Select(category => profile.Playbooks.FirstOrDefault(p => p.Category == category))
            .OfType<Playbook>()
            .Select(playbook => new SuggestedActions(profile.CategoryName(playbook.Category), playbook.Actions))
            .ToList();
        var deadlines = profile.DueDatesFor(summary.Kind, summary.SubmittedAt);
        return new CasePlan(version, profile.KindName(summary.Kind), summary.Categories.Select(profile.CategoryName).ToList(), profile.PlaceName(summary.Location),
            actions, deadlines);
    }
}
