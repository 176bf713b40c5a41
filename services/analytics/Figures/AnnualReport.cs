using Harbour.Analytics.Disclosure;
using Harbour.Contracts;
using Harbour.Profile;

namespace Harbour.Analytics.Figures;

/// <summary>The annual report an institution could publish: one academic year's published figures (always rounded and
/// suppressed, whoever asks), the year before's to compare with, and a commentary written from them.</summary>
/// <param name="Year">The first day of the academic year (1 August).</param>
/// <param name="Commentary">Plain sentences about the main changes, each made only from figures the tables publish.</param>
public sealed record AnnualReport(string Institution, DateOnly Year, bool ToDate, Figures This, Figures Before, IReadOnlyList<string> Commentary)
{
    /// <summary>The tables the report prints, in its order: the figures a steering group publishes, not every cut.</summary>
    public IEnumerable<PublishedTable> Tables => This.All.Where(t => Printed.Contains(t.Id)).OrderBy(t => Array.IndexOf(Printed, t.Id));

    static readonly string[] Printed = ["categories", "kinds", "reporter-roles", "relations", "campuses", "months", "response", "outcomes", "referrals",
        "departments"];

    public static async Task<AnnualReport> ForAsync(Dashboard dashboard, DateOnly year, DateOnly today, InstitutionProfile profile, DisclosureRules rules,
        CancellationToken ct)
    {
        var end = year.AddYears(1).AddDays(-1);
        var filter = new FigureFilter(year, end < today ? end : today);
        var current = await dashboard.FiguresAsync(filter, profile, rules, ct);
        var before = await dashboard.FiguresAsync(filter.YearBefore(), profile, rules, ct);
        return new AnnualReport(profile.Name, year, end >= today, current, before, Comment(current, before, year));
    }

    // Each sentence reads published cells only, and is left out when the cell it needs is suppressed or small.
    static List<string> Comment(Figures current, Figures before, DateOnly year)
    {
        string? Cell(Figures figures, string table, string key, int column) =>
            figures.All.First(t => t.Id == table).Rows.FirstOrDefault(r => r.Key == key)?.Cells[column] is { } cell
                && cell != DisclosureControl.Suppressed ? cell : null;
        // The row shown largest, when it is the only one shown that large (a tie of rounded counts names nobody).
        PublishedRow? Top(Figures figures, string table)
        {
            var rows = figures.All.First(t => t.Id == table).Rows;
            return rows.MaxBy(r => r.Value) is { Value: > 0 } top && rows.Count(r => r.Value == top.Value) == 1 ? top : null;
        }
        string N(int count) => count.ToString("N0", UkTime.Culture);
        int Shown(Figures figures) => figures.Overview[0].Rows[0].Value;

        var sentences = new List<string>();
        var (now, then) = (Shown(current), Shown(before));
        var (thisYear, lastYear) = (FigureFilter.AcademicYearName(year), FigureFilter.AcademicYearName(year.AddYears(-1)));
        var were = current.Filter.To < year.AddYears(1).AddDays(-1) ? "have been made so far in" : "were made in";
        // A change in per cent only from a year before of 25 or more, as a share is published only of 22.5 or more.
        var change = then >= 25 && now != then
            ? $" ({Math.Round(100.0 * Math.Abs(now - then) / then, MidpointRounding.AwayFromZero):0}% {(now > then ? "more" : "fewer")}, on rounded figures)" : "";
        sentences.Add(now == 0 ? $"Fewer than 3 reports {were} {thisYear}."
            : then == 0 ? $"About {N(now)} reports {were} {thisYear}; there were fewer than 3 in the same months of {lastYear}."
            : now == then ? $"About {N(now)} reports {were} {thisYear}, about as many as in the same months of {lastYear}."
            : $"About {N(now)} reports {were} {thisYear}, {(now > then ? "up" : "down")} from about {N(then)} in the same months of {lastYear}{change}.");
        if (Top(current, "categories") is { } category)
            sentences.Add($"The category reported most was {category.Label}{(category.Cells[1] != DisclosureControl.Suppressed ? $", named in {category.Cells[1]} of reports" : "")}.");
        if (Cell(current, "kinds", ReportKinds.Anonymous, 1) is { } anonymous)
            sentences.Add($"{anonymous} of reports were made anonymously{(Cell(before, "kinds", ReportKinds.Anonymous, 1) is { } earlier ? $", against {earlier} the year before" : "")}.");
        if (Top(current, "campuses") is { } campus) sentences.Add($"More reports concerned {campus.Label} than anywhere else.");
        if (Cell(current, "response", ResponseSteps.Triage, 1) is { } triage)
            sentences.Add($"Of the cases closed so far, {triage} were triaged by their deadline{(Cell(current, "response", ResponseSteps.FirstContact, 1) is { } contact ? $", and {contact} had first contact by theirs" : "")}.");
        if (Top(current, "referrals") is { } referral)
            sentences.Add($"The support service suggested most often was {referral.Label}{(referral.Cells[2] != DisclosureControl.Suppressed ? $"; {referral.Cells[2]} of those referrals were taken up" : "")}.");
        return sentences;
    }
}
