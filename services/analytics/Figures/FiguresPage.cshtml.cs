using Harbour.Analytics.Disclosure;
using Harbour.Profile;

namespace Harbour.Analytics.Figures;

// /analytics and its sections (/analytics/where-and-when, /analytics/response, /analytics/support): the steering group's
// figures under the disclosure rules, one section a page (each reads only its own tables); each table as a chart too and as
// a CSV file.
public sealed class FiguresPageModel(Dashboard dashboard, InstitutionProfiles profiles, IConfiguration configuration, TimeProvider clock)
    : FigurePageModel(profiles, configuration, clock)
{
    /// <summary>Each section's path under /analytics and its name, in the order the navigation lists them.</summary>
    public static readonly (FigureSection Section, string Path, string Name)[] Sections =
    [
        (FigureSection.Overview, "", "Overview"), (FigureSection.WhereAndWhen, "where-and-when", "Where and when"),
        (FigureSection.Response, "response", "Response"), (FigureSection.Support, "support", "Support and action"),
    ];

    public Figures? Figures { get; private set; }

    /// <summary>The section shown, from the route; any other path under /analytics is not found.</summary>
    public FigureSection Section => Sections.First(s => s.Path == Path).Section;

    string Path => RouteData.Values["section"] as string ?? "";

    protected override bool Exists => Sections.Any(s => s.Path == Path);

    protected override async Task ShowAsync(FigureFilter filter, DisclosureRules rules, CancellationToken ct) =>
        Figures = await dashboard.FiguresAsync(filter, Profile, rules, ct, section: Section);
}
