using Harbour.Analytics.Disclosure;
using Harbour.Profile;

namespace Harbour.Analytics.Figures;

// /analytics: the steering group's figures (overview, where and when, response) under the disclosure rules; each table as a
// chart too and as a CSV file.
public sealed class FiguresPageModel(Dashboard dashboard, InstitutionProfiles profiles, IConfiguration configuration, TimeProvider clock)
    : FigurePageModel(profiles, configuration, clock)
{
    public Figures? Figures { get; private set; }

    protected override async Task ShowAsync(FigureFilter filter, DisclosureRules rules, CancellationToken ct) =>
        Figures = await dashboard.FiguresAsync(filter, Profile, rules, ct);
}
