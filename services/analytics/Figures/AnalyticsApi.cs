using System.Globalization;
using CsvHelper;
using Harbour.Analytics.Disclosure;
using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Harbour.Analytics.Figures;

internal static class AnalyticsApi
{
    public static void MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/analytics/figures", FiguresAsync).RequireAuthorization(StaffPolicies.Analytics)
            .WithSummary("Every table of the steering group's figures for a period, category and campus")
            .WithDescription("""
                The tables /analytics shows (overview, where and when, response), each with its headings, rows (key, label,
                cells as shown, the chart value) and total row. Counts are rounded to the nearest 5 and small counts shown as 0
                (or Analytics:SmallCount); shares of fewer than 22.5 and medians of 7 or fewer cases are suppressed, with
                secondary suppression (HESA's rounding and suppression methodology). unrounded=true gives the true figures, to
                Admins only. Dates are UK dates, yyyy-MM-dd. 400 ValidationProblem when a date cannot be read or the period ends
                before it starts; 401 when not signed in; 403 for a role other than Analyst and Admin, or an Analyst asking for
                unrounded figures.
                """);
        app.MapGet("/analytics/tables/{table}.csv", CsvAsync).RequireAuthorization(StaffPolicies.Analytics)
            .WithSummary("One table of the figures as CSV (RFC 4180, UTF-8), as published");
    }

    static async Task<Results<Ok<Figures>, ValidationProblem, ForbidHttpResult>> FiguresAsync([AsParameters] FigureRequest request,
        HttpContext http, Dashboard dashboard, InstitutionProfiles profiles, IConfiguration configuration, TimeProvider clock,
        CancellationToken ct)
    {
        if (request.RulesFor(http.User, configuration) is not { } rules) return TypedResults.Forbid();
        var (filter, problems) = request.Read(clock);
        if (filter is null) return TypedResults.ValidationProblem(problems);
        return TypedResults.Ok(await dashboard.FiguresAsync(filter, (await profiles.CurrentAsync(ct)).Profile, rules, ct));
    }

    // The same table the page shows, cell for cell, after a first line saying what it is and whether it is rounded. A cell
    // that begins with =, +, - or @ is escaped so that a spreadsheet never runs it as a formula (OWASP CSV injection).
    static async Task<IResult> CsvAsync(string table, [AsParameters] FigureRequest request, HttpContext http, Dashboard dashboard,
        InstitutionProfiles profiles, IConfiguration configuration, TimeProvider clock, CancellationToken ct)
    {
        if (request.RulesFor(http.User, configuration) is not { } rules) return TypedResults.Forbid();
        var (filter, problems) = request.Read(clock);
        if (filter is null) return TypedResults.ValidationProblem(problems);
        var figures = await dashboard.FiguresAsync(filter, (await profiles.CurrentAsync(ct)).Profile, rules, ct, only: table);
        if (figures.All.SingleOrDefault() is not { } found) return TypedResults.NotFound();

        await using var text = new StringWriter(CultureInfo.InvariantCulture);
        await using (var csv = CsvWriter.Create(text, new CsvWriterOptions { Injection = CsvInjection.Escape, FormatProvider = CultureInfo.InvariantCulture }, true))
        {
            // RFC 4180: every line has as many cells as the table has columns.
            csv.WriteRecord([$"{found.Title}, {Dashboard.Period(filter)}", found.Unrounded ? "UNROUNDED: not for publication"
                : "Rounded to the nearest 5 and suppressed as HESA publishes", .. found.Headings.Skip(2).Select(_ => "")]);
            csv.WriteRecord([.. found.Headings]);
            foreach (var row in found.Rows) csv.WriteRecord([row.Label, .. row.Cells]);
            if (found.Total is { } total) csv.WriteRecord([total.Label, .. total.Cells]);
        }
        var name = $"harbour-{found.Id}-{filter.From:yyyy-MM-dd}-to-{filter.To:yyyy-MM-dd}{(found.Unrounded ? "-unrounded" : "")}.csv";
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8", name);
    }
}
