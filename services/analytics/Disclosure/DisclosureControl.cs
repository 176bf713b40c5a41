using Harbour.Profile;

namespace Harbour.Analytics.Disclosure;

/// <summary>How figures are shown when they leave the service.</summary>
/// <param name="Unrounded">True for an Admin who asked for the true figures: nothing is rounded or suppressed, and every page
/// and file says so. Never true for an Analyst.</param>
/// <param name="SmallCount">What a count below 2.5 is shown as: "0" (HESA's own convention, the default) or, configured as
/// Analytics:SmallCount, a phrase such as "fewer than 5".</param>
public sealed record DisclosureRules(bool Unrounded, string SmallCount = "0")
{
    public static readonly DisclosureRules Rounded = new(false);
}

/// <summary>One row of a table as it may be published.</summary>
/// <param name="Key">What the rows are grouped by (a profile id, a code, a month as yyyy-MM); for links and CSV.</param>
/// <param name="Label">What the institution calls it.</param>
/// <param name="Cells">The row's figures as shown, one per heading after the first: a count rounded to a multiple of 5 (or
/// <see cref="DisclosureRules.SmallCount"/>), a whole-number percentage ("48%"), a number of days, or
/// <see cref="DisclosureControl.Suppressed"/>; true figures when unrounded.</param>
/// <param name="Value">The row's first count as shown, as a number (0 for a small count): what a chart draws.</param>
public sealed record PublishedRow(string Key, string Label, IReadOnlyList<string> Cells, int Value);

/// <summary>A table as it may be published: its headings, its rows, its total row (rounded from the true total, never summed
/// from rounded rows) when it has one, and whether its figures are the true, unrounded ones.</summary>
/// <param name="Id">Its name in links and file names (e.g. <c>categories</c>).</param>
public sealed record PublishedTable(string Id, string Title, IReadOnlyList<string> Headings, IReadOnlyList<PublishedRow> Rows,
    PublishedRow? Total, bool Unrounded);

/// <summary>A count of one row before disclosure control.</summary>
public sealed record RawRow(string Key, string Label, int Count);

/// <summary>
/// Disclosure control for every figure that leaves analytics, after HESA's rounding and suppression methodology (HESA,
/// "Rounding and suppression to anonymise statistics"), which UK universities already publish to:
/// <list type="bullet">
/// <item>counts are rounded to the nearest multiple of 5; 0, 1 and 2 are shown as 0 (or the configured phrase); totals are
/// rounded from the true total, not summed from rounded rows;</item>
/// <item>percentages are suppressed when their population is fewer than 22.5;</item>
/// <item>medians and averages are suppressed when they are of 7 or fewer;</item>
/// <item>beyond HESA, because anyone can ask for any period, category and campus and compare the answers: a percentage is
/// of the rounded count and the rounded population, never of the true ones (HESA's own method, 7 of 40 is 18% and 8 of 41
/// is 20%, gives both true counts away, and so the single report between two periods a day apart); so every figure
/// published depends on rounded counts only. The share of a row whose count is shown as small is suppressed; and when
/// exactly one row's share is suppressed the next smallest row's is too (secondary suppression), so that no suppressed
/// share is ever 100% less the others.</item>
/// </list>
/// </summary>
public static class DisclosureControl
{
    public const double SmallestPopulationForShares = 22.5, SmallestCountShown = 2.5;
    public const int MostCasesSuppressedForAverages = 7;
    /// <summary>What a suppressed cell shows.</summary>
    public const string Suppressed = "suppressed";

    /// <summary>A count rounded to the nearest multiple of 5; fewer than 2.5 is 0.</summary>
    public static int Round(int count) => count < SmallestCountShown ? 0 : (int)Math.Round(count / 5.0, MidpointRounding.AwayFromZero) * 5;

    public static string Count(int count, DisclosureRules rules) =>
        rules.Unrounded ? count.ToString("N0", UkTime.Culture) : Round(count) == 0 ? rules.SmallCount : Round(count).ToString("N0", UkTime.Culture);

    /// <summary>A median or average (already formatted by <paramref name="format"/>), or null when it is of too few cases.</summary>
    public static string? Average(double? value, int cases, DisclosureRules rules, Func<double, string> format) =>
        value is null || (!rules.Unrounded && cases <= MostCasesSuppressedForAverages) ? null : format(value.Value);

    /// <summary>A share of a population as a whole percentage ("40%"): of the rounded count and population, or of the true
    /// ones when unrounded; null when the population is fewer than 22.5 or the count is shown as small.</summary>
    public static string? Share(int count, int population, DisclosureRules rules)
    {
        if (rules.Unrounded) return population == 0 ? null : Percent(count, population);
        return population < SmallestPopulationForShares || Round(count) == 0 ? null : Percent(Round(count), Round(population));
    }

    static string Percent(int count, int population) =>
        string.Create(UkTime.Culture, $"{Math.Round(100.0 * count / population, MidpointRounding.AwayFromZero):0}%");

    /// <summary>Publishes a table of counts: rows in the order given, each with its share of <paramref name="population"/> (the
    /// number of reports or cases the table describes; rows may overlap, as when a report has two categories) and a total
    /// row; without a population, counts alone.</summary>
    public static PublishedTable Counts(string id, string title, string rowHeading, string counted, IReadOnlyList<RawRow> rows,
        int? population, DisclosureRules rules)
    {
        var shares = rows.Select(r => population is { } of ? Share(r.Count, of, rules) : null).ToArray();
        if (population is not null && !rules.Unrounded && shares.Count(s => s is null) == 1 && shares.Any(s => s is not null))
        {
            // Secondary suppression: the smallest row whose share still shows goes too.
            // By the rounded count, then the row's place: the true count would single out one of two rows shown alike.
            var next = Enumerable.Range(0, rows.Count).Where(i => shares[i] is not null).OrderBy(i => Round(rows[i].Count)).ThenBy(i => i).First();
            shares[next] = null;
        }
        string[] headings = population is null ? [rowHeading, counted] : [rowHeading, counted, "Share"];
        var published = rows.Select((r, i) => new PublishedRow(r.Key, r.Label,
            population is null ? [Count(r.Count, rules)] : [Count(r.Count, rules), shares[i] ?? Suppressed],
            rules.Unrounded ? r.Count : Round(r.Count))).ToList();
        var total = population is { } all ? new PublishedRow("total", "Total", [Count(all, rules), Share(all, all, rules) ?? Suppressed],
            rules.Unrounded ? all : Round(all)) : null;
        return new PublishedTable(id, title, headings, published, total, rules.Unrounded);
    }
}
