using Microsoft.EntityFrameworkCore;

namespace Harbour.Analytics.Figures;

/// <summary>How many reports of one UK day, in one slice, have one value of one dimension: the counts the report tables read,
/// kept as each report is kept (in the same transaction) and worked out again from the reports by <see cref="ReportTallies.RebuildAsync"/>.</summary>
public sealed class ReportTally
{
    /// <summary>Which reports: "" for all, "category:" and a category id for those naming it, "place:" and a place id for
    /// those made about it.</summary>
    public required string Slice { get; init; }
    /// <summary>One of <see cref="ReportTallies"/>' dimensions.</summary>
    public required string Dimension { get; init; }
    /// <summary>The UK date the reports were made.</summary>
    public required DateOnly Day { get; init; }
    /// <summary>The dimension's value, as text: a code, a place id, an hour (0 to 23), a month (yyyy-MM, "" when not given).</summary>
    public required string Value { get; init; }
    /// <summary>How many reports (a true count: disclosure control is applied to what is read, never to what is kept).</summary>
    public int Reports { get; init; }
}

// Why tallies: every report table read the period's reports again (a GROUP BY over 100,000 rows a year, about 100 ms each on
// this project's machines), so the overview took seconds on a national service's million reports (docs/benchmarks.md). A
// tally is a day's count for one value, in the slices the filters ask for, so a year's table reads a few hundred rows.
// One SQL function (report_tally_rows, made by the migration ReportTallies) says which rows a report adds to: the consumer
// adds them as it keeps the report, a rebuild works every tally out again from the reports, and a filter naming a category
// and a campus together (a slice not kept: it would hold more rows than the reports) reads the reports through the same
// function. Reports are never changed or removed in analytics, so a tally only ever grows.
public static class ReportTallies
{
    public const string Reports = "reports", Category = "category", Kind = "kind", ReporterRole = "reporter-role", Channel = "channel",
        Relation = "relation", Place = "place", Hour = "hour", Occurred = "occurred";

    /// <summary>The value of <see cref="Relation"/> when the reporter did not say.</summary>
    public const string NotSaid = "not-said";

    // The rows one report adds 1 to: in each of its slices, every dimension once (each of its categories once). Arrays
    // unnested side by side, not a UNION: PostgreSQL 15's planner fails on a UNION inside a function called LATERAL.
    internal const string Function = $$"""
        CREATE OR REPLACE FUNCTION report_tally_rows(r reports) RETURNS TABLE (slice text, dimension text, value text)
        LANGUAGE sql IMMUTABLE AS $$
            SELECT s.slice, d.dimension, d.value
            FROM unnest(ARRAY['', 'place:' || r.location] || array(SELECT 'category:' || unnest(r.categories))) AS s (slice)
            CROSS JOIN unnest(
                ARRAY['{{Reports}}', '{{Kind}}', '{{ReporterRole}}', '{{Channel}}', '{{Relation}}', '{{Place}}', '{{Hour}}', '{{Occurred}}']
                    || array_fill('{{Category}}'::text, ARRAY[cardinality(r.categories)]),
                ARRAY['', r.kind, r.reporter_role, r.channel, coalesce(r.relation, '{{NotSaid}}'), r.location, r.submitted_hour::text,
                    coalesce(to_char(r.occurred_in, 'YYYY-MM'), '')] || r.categories) AS d (dimension, value)
        $$;
        """;

    // Every tally worked out from the reports. The reports are locked against new ones meanwhile (a consumer waits, then adds
    // its report to the new tallies), so the tallies are never seen half made.
    internal const string Rebuild = """
        LOCK TABLE reports IN SHARE MODE;
        DELETE FROM report_tallies;
        INSERT INTO report_tallies (slice, dimension, day, value, reports)
        SELECT t.slice, t.dimension, r.submitted_on, t.value, count(*)
        FROM reports r CROSS JOIN LATERAL report_tally_rows(r) t
        GROUP BY t.slice, t.dimension, r.submitted_on, t.value;
        ANALYZE report_tallies;
        """;

    /// <summary>Adds a report just kept to the tallies, in the caller's transaction. Rows are taken in key order, so two
    /// reports of the same day wait for each other rather than deadlock.</summary>
    public static Task AddAsync(AnalyticsDbContext db, Guid caseKey, CancellationToken ct) => db.Database.ExecuteSqlAsync($"""
        INSERT INTO report_tallies (slice, dimension, day, value, reports)
        SELECT t.slice, t.dimension, r.submitted_on, t.value, 1
        FROM reports r CROSS JOIN LATERAL report_tally_rows(r) t
        WHERE r.case_key = {caseKey}
        ORDER BY t.slice, t.dimension, t.value
        ON CONFLICT (slice, dimension, day, value) DO UPDATE SET reports = report_tallies.reports + excluded.reports
        """, ct);

    /// <summary>Works every tally out again from the reports kept (the command <c>rebuild</c>, docs/operations.md): after a
    /// change to what is tallied, or to check them. Returns how many tally rows there are.</summary>
    public static Task<int> RebuildAsync(AnalyticsDbContext db, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // A minute or so for a million reports (docs/benchmarks.md): far past a page's command timeout.
            db.Database.SetCommandTimeout(TimeSpan.FromHours(1));
            await db.Database.ExecuteSqlRawAsync(Rebuild, ct);
            var rows = await db.Tallies.CountAsync(ct);
            await transaction.CommitAsync(ct);
            return rows;
        });

    /// <summary>The tallies of <paramref name="dimension"/> for reports made from <paramref name="from"/> to <paramref name="to"/>
    /// (UK dates, inclusive), naming <paramref name="category"/> when given and made about one of <paramref name="places"/>
    /// when given: the slice that holds them, or, for a category and places together, worked out from the reports (one row a
    /// report). Sum <see cref="ReportTally.Reports"/> by value or day.</summary>
    public static IQueryable<ReportTally> Of(AnalyticsDbContext db, string dimension, DateOnly from, DateOnly to, string? category,
        IReadOnlyList<string>? places)
    {
        if (category is not null && places is not null)
            return db.Tallies.FromSql($"""
                SELECT t.slice, t.dimension, r.submitted_on AS day, t.value, 1 AS reports
                FROM reports r CROSS JOIN LATERAL report_tally_rows(r) t
                WHERE t.slice = '' AND t.dimension = {dimension} AND r.submitted_on BETWEEN {from} AND {to}
                    AND r.categories @> ARRAY[{category}] AND r.location = ANY({places.ToArray()})
                """).AsNoTracking();
        List<string> slices = category is not null ? ["category:" + category] : places is not null ? [.. places.Select(p => "place:" + p)] : [""];
        return db.Tallies.AsNoTracking().Where(t => t.Dimension == dimension && t.Day >= from && t.Day <= to && slices.Contains(t.Slice));
    }
}
