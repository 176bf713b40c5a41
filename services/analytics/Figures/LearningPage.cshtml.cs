using Harbour.Analytics.Disclosure;
using Harbour.Profile;

namespace Harbour.Analytics.Figures;

// /analytics/learning: the narrative. The anonymised learning summaries case managers wrote at closure, newest first, for
// the same filters as the figures, and the themes they tagged (counted under the disclosure rules).
public sealed class LearningPageModel(Dashboard dashboard, InstitutionProfiles profiles, IConfiguration configuration, TimeProvider clock)
    : FigurePageModel(profiles, configuration, clock)
{
    public IReadOnlyList<Learning> Summaries { get; private set; } = [];
    public PublishedTable? Themes { get; private set; }

    protected override async Task ShowAsync(FigureFilter filter, DisclosureRules rules, CancellationToken ct)
    {
        Summaries = await dashboard.LearningAsync(filter, Profile, ct);
        Themes = (await dashboard.FiguresAsync(filter, Profile, rules, ct)).Response.Single(t => t.Id == "themes");
    }
}
