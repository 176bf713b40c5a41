using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Analytics.Counts;

public sealed record CountRow(string Value, int Count);
public sealed record MonthRow(DateOnly Month, int Count);
public sealed record AnalyticsSummary(
    int Total, IReadOnlyList<CountRow> ByCategory, IReadOnlyList<CountRow> ByKind, IReadOnlyList<CountRow> ByLocation,
    IReadOnlyList<CountRow> ByReporterRole, IReadOnlyList<MonthRow> ByMonth);

internal static class AnalyticsApi
{
    public static RouteGroupBuilder MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/analytics").RequireAuthorization(StaffPolicies.Analytics);
        api.MapGet("/summary", async (AnalyticsDbContext db, CancellationToken ct) => TypedResults.Ok(await SummariseAsync(db, ct)));
        return api;
    }

    static async Task<AnalyticsSummary> SummariseAsync(AnalyticsDbContext db, CancellationToken ct)
    {
        var rows = await db.ReportCounts.AsNoTracking().ToListAsync(ct);
        List<CountRow> By(string dimension) => rows.Where(r => r.Dimension == dimension)
            .GroupBy(r => r.Value)
            .Select(g => new CountRow(g.Key, g.Sum(r => r.Count)))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Value)
            .ToList();

        var months = rows.Where(r => r.Dimension == Dimensions.All)
            .Select(r => new MonthRow(r.Month, r.Count)).OrderBy(r => r.Month).ToList();
        return new AnalyticsSummary(months.Sum(m => m.Count), By(Dimensions.Category), By(Dimensions.Kind),
            By(Dimensions.Location), By(Dimensions.ReporterRole), months);
    }
}
