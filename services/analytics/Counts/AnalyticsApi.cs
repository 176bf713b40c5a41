using Harbour.Contracts;
using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Analytics.Counts;

// Value is what reports carry (a category's id); Name is what the institution's latest profile calls it.
public sealed record CountRow(string Value, string Name, int Count);
public sealed record MonthRow(DateOnly Month, int Count);
public sealed record AnalyticsSummary(
    int Total, IReadOnlyList<CountRow> ByCategory, IReadOnlyList<CountRow> ByKind, IReadOnlyList<CountRow> ByLocation,
    IReadOnlyList<CountRow> ByReporterRole, IReadOnlyList<MonthRow> ByMonth, IReadOnlyList<CountRow> ByChannel);

internal static class AnalyticsApi
{
    public static RouteGroupBuilder MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/analytics").RequireAuthorization(StaffPolicies.Analytics);
        api.MapGet("/summary", async (AnalyticsDbContext db, InstitutionProfiles profiles, CancellationToken ct) =>
            TypedResults.Ok(await SummariseAsync(db, (await profiles.CurrentAsync(ct)).Profile, ct)));
        return api;
    }

    static async Task<AnalyticsSummary> SummariseAsync(AnalyticsDbContext db, InstitutionProfile profile, CancellationToken ct)
    {
        var rows = await db.ReportCounts.AsNoTracking().ToListAsync(ct);
        string NameOf(string dimension, string value) => dimension switch
        {
            Dimensions.Category => profile.CategoryName(value),
            Dimensions.Kind => profile.KindName(value),
            Dimensions.Location => profile.PlaceName(value),
            Dimensions.ReporterRole => ReporterRoles.Terms.Label(value),
            Dimensions.Channel => ReportChannels.Terms.Label(value),
            _ => value,
        };
        List<CountRow> By(string dimension) => rows.Where(r => r.Dimension == dimension)
            .GroupBy(r => r.Value)
            .Select(g => new CountRow(g.Key, NameOf(dimension, g.Key), g.Sum(r => r.Count)))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Value)
            .ToList();

        var months = rows.Where(r => r.Dimension == Dimensions.All)
            .Select(r => new MonthRow(r.Month, r.Count)).OrderBy(r => r.Month).ToList();
        return new AnalyticsSummary(months.Sum(m => m.Count), By(Dimensions.Category), By(Dimensions.Kind),
            By(Dimensions.Location), By(Dimensions.ReporterRole), months, By(Dimensions.Channel));
    }
}
