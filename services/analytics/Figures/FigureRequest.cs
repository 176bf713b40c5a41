using System.Globalization;
using Harbour.Analytics.Disclosure;
using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Mvc;

namespace Harbour.Analytics.Figures;

/// <summary>What a page, a CSV file or the API was asked for, as typed: the query string of <c>/analytics</c>.</summary>
/// <param name="From">First UK date, yyyy-MM-dd; the start of the academic year when empty.</param>
/// <param name="To">Last UK date, yyyy-MM-dd; today when empty.</param>
/// <param name="Category">A category id of the institution profile, or empty for all.</param>
/// <param name="Campus">A campus name of the institution profile (or a place that stands alone, such as Online), or empty for all.</param>
/// <param name="Unrounded">true for the true figures, for Admins only (HESA rounding and suppression off).</param>
public sealed record FigureRequest(
    [property: FromQuery(Name = "from")] string? From,
    [property: FromQuery(Name = "to")] string? To,
    [property: FromQuery(Name = "category")] string? Category,
    [property: FromQuery(Name = "campus")] string? Campus,
    [property: FromQuery(Name = "unrounded")] bool Unrounded = false)
{
    static readonly DateOnly Earliest = new(2000, 1, 1), Latest = new(2099, 12, 31);

    /// <summary>The filter, or the problems with what was typed (by field: from, to); the figures are not shown until they are fixed.</summary>
    public (FigureFilter? Filter, Dictionary<string, string[]> Problems) Read(TimeProvider clock)
    {
        var problems = new Dictionary<string, string[]>();
        var today = UkTime.Today(clock);
        var year = FigureFilter.YearToDate(today);
        DateOnly? Date(string field, string? typed)
        {
            if (string.IsNullOrWhiteSpace(typed)) return null;
            if (DateOnly.TryParseExact(typed.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
            problems[field] = ["Enter a date as year, month and day, for example 2026-08-01."];
            return null;
        }
        var from = Date("from", From) ?? year.From;
        var to = Date("to", To) ?? today;
        if (problems.Count == 0 && to < from) problems["to"] = ["The end of the period must be on or after its start."];
        foreach (var (field, day) in new[] { ("from", from), ("to", to) })
            if (!problems.ContainsKey(field) && (day < Earliest || day > Latest))
                problems[field] = [$"Choose a date from {Earliest.ToString("d MMMM yyyy", UkTime.Culture)} to {Latest.ToString("d MMMM yyyy", UkTime.Culture)}."];
        return problems.Count > 0 ? (null, problems)
            : (new FigureFilter(from, to, string.IsNullOrWhiteSpace(Category) ? null : Category.Trim(),
                string.IsNullOrWhiteSpace(Campus) ? null : Campus.Trim()), problems);
    }

    /// <summary>The disclosure rules for this caller: unrounded only when asked for by an Admin; null when an Analyst asked for it.</summary>
    public DisclosureRules? RulesFor(System.Security.Claims.ClaimsPrincipal user, IConfiguration configuration) =>
        !Unrounded ? new DisclosureRules(false, configuration["Analytics:SmallCount"] ?? "0")
        : user.IsInRole(StaffRoles.Admin) ? new DisclosureRules(true) : null;

    /// <summary>The same request as a query string, for links to CSV files and the other page.</summary>
    public string Query => QueryString.Create(new Dictionary<string, string?>
    {
        ["from"] = From, ["to"] = To, ["category"] = Category, ["campus"] = Campus, ["unrounded"] = Unrounded ? "true" : null,
    }.Where(p => !string.IsNullOrEmpty(p.Value))).ToString();
}

