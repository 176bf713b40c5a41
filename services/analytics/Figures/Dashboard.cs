using System.Globalization;
using Harbour.Analytics.Disclosure;
using Harbour.Contracts;
using Harbour.Profile;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Analytics.Figures;

/// <summary>The sections of the steering group's figures, each a page of its own.</summary>
public enum FigureSection { Overview, WhereAndWhen, Response, Support }

/// <summary>Every table the steering group sees for one filter (or those of the sections asked for; the others empty),
/// published under the disclosure rules.</summary>
/// <param name="Reports">Reports made in the filter: rounded to a multiple of 5 (0 for fewer than 3), or the true count when unrounded.</param>
public sealed record Figures(FigureFilter Filter, int Reports, IReadOnlyList<PublishedTable> Overview, IReadOnlyList<PublishedTable> WhereAndWhen,
    IReadOnlyList<PublishedTable> Response, IReadOnlyList<PublishedTable> Support)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<PublishedTable> All => [.. Overview, .. WhereAndWhen, .. Response, .. Support];
}

/// <summary>One learning summary as the steering group reads it, with what and on which campus it was about: no date, place or
/// outcome, so that the list cannot be counted into finer figures than the tables publish.</summary>
public sealed record Learning(IReadOnlyList<string> Categories, string Campus, string Summary, IReadOnlyList<string> Tags);

// The queries behind the analytics pages, the API and the CSV files: counts over the facts, named by the latest profile,
// published under DisclosureControl. Closures are counted in the period their report was made in, and only while they stand
// (no reopening after them).
public sealed class Dashboard(AnalyticsDbContext db, TimeProvider clock)
{
    public const int LearningPageSize = 50, FewestLearningShown = 5;
    const string NotSaid = ReportTallies.NotSaid;
    static readonly string[] TimesOfDay = ["Night (00:00 to 05:59)", "Morning (06:00 to 11:59)", "Afternoon (12:00 to 17:59)",
        "Evening (18:00 to 23:59)"];
    // Who it happened to (the codes of ReportAnswers.Relations), as the steering group reads it: the form asks the reporter in
    // their own terms.
    static readonly Terms Relations = new(new("me", "The reporter themselves"), new("witnessed", "Someone else, and the reporter witnessed it"),
        new("on-behalf", "Someone else, and the reporter reported for them"), new(NotSaid, "Not said (or reported before Harbour counted it)"));
    // How long an open case has been open, in calendar days from its report: each band up to (not including) its bound.
    static readonly (string Key, string Label, int Below)[] OpenAges = [("under-1-week", "Under a week", 7),
        ("1-to-4-weeks", "1 to 4 weeks", 28), ("4-to-13-weeks", "4 to 13 weeks", 91), ("13-to-52-weeks", "13 to 52 weeks", 365),
        ("a-year-or-more", "A year or more", int.MaxValue)];

    /// <summary>Every table for the filter, or those of <paramref name="section"/>, or only the one whose id is
    /// <paramref name="only"/> (the other sections empty; only the tables asked for run their queries).</summary>
    public async Task<Figures> FiguresAsync(FigureFilter filter, InstitutionProfile profile, DisclosureRules rules, CancellationToken ct,
        string? only = null, FigureSection? section = null)
    {
        anyReopened ??= await db.Reopenings.AnyAsync(ct);
        var reports = Reports(filter, profile);
        // The report tables read the tallies (ReportTallies), a few hundred rows a year; only the tables of casework read facts.
        Task<List<(string Key, int Count)>> Tallied(string dimension) => ByValue(Tallies(filter, profile, dimension), ct);
        // What several tables share, each asked for once and only when a table needs it (one query at a time: one DbContext).
        Task<int>? total = null, closed = null;
        Task<List<(string Key, int Count)>>? byLocation = null;
        Task<List<(DateOnly Key, int Count)>>? byDay = null;
        Task<int> Total() => total ??= Tallies(filter, profile, ReportTallies.Reports).SumAsync(t => t.Reports, ct);
        Task<List<(string Key, int Count)>> ByLocation() => byLocation ??= Tallied(ReportTallies.Place);
        Task<List<(DateOnly Key, int Count)>> ByDay() => byDay ??= ByDayOf(Tallies(filter, profile, ReportTallies.Reports), ct);
        var closures = Standing(filter, profile);
        Task<int> Closed() => closed ??= closures.CountAsync(ct);

        List<(FigureSection Section, PublishedTable Table)> made = [];
        async Task Add(FigureSection of, string id, Func<Task<PublishedTable>> make)
        {
            if ((only is null || only == id) && (section is null || section == of)) made.Add((of, await make()));
        }
        async Task<PublishedTable> Table(string id, string title, string heading, IEnumerable<RawRow> rows, bool ofReports = true, string counted = "Reports") =>
            DisclosureControl.Counts(id, title, heading, counted, [.. rows], ofReports ? await Total() : null, rules);
        // Every value the table can have is listed, even at 0, so that a row shown as 0 (0, 1 or 2) cannot be told from
        // one that is truly 0 by being there at all; most first, then as the institution lists them; an id the profile no
        // longer has, after them.
        IEnumerable<RawRow> Listed(IEnumerable<string> known, IEnumerable<(string Key, int Count)> rows, Func<string, string> name)
        {
            var counts = rows.ToDictionary(r => r.Key, r => r.Count);
            return ListedKeys(known, counts, rules).Select(key => new RawRow(key, name(key), counts.GetValueOrDefault(key)));
        }
        static IEnumerable<RawRow> InOrder(IEnumerable<(string Key, string Label)> known, IEnumerable<(string Key, int Count)> rows)
        {
            var counts = rows.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Sum(r => r.Count));
            return known.Select(k => new RawRow(k.Key, k.Label, counts.GetValueOrDefault(k.Key)));
        }
        var places = profile.Places.Select(p => p.Id);
        var months = Enumerable.Range(0, (filter.To.Year - filter.From.Year) * 12 + filter.To.Month - filter.From.Month + 1)
            .Select(i => new DateOnly(filter.From.Year, filter.From.Month, 1).AddMonths(i)).ToList();
        static string MonthKey(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        static string MonthName(DateOnly month) => month.ToString("MMMM yyyy", UkTime.Culture);
        var today = UkTime.Today(clock);
        const FigureSection Overview = FigureSection.Overview, WhereAndWhen = FigureSection.WhereAndWhen, Response = FigureSection.Response,
            Support = FigureSection.Support;

        await Add(Overview, "totals", async () => await Table("totals", "Reports made, against the same dates a year before", "Period",
            [new("this", Period(filter), await Total()), new("year-before", Period(filter.YearBefore()), await Tallies(filter.YearBefore(), profile, ReportTallies.Reports).SumAsync(t => t.Reports, ct))],
            ofReports: false));
        await Add(Overview, "categories", async () => await Table("categories", "What happened (a report may name several categories)", "Category",
            Listed(profile.Categories.Select(c => c.Id), await Tallied(ReportTallies.Category), profile.CategoryName)));
        await Add(Overview, "kinds", async () => await Table("kinds", "How people chose to report", "Kind of report",
            Listed(ReportKinds.All, await Tallied(ReportTallies.Kind), profile.KindName)));
        await Add(Overview, "reporter-roles", async () => await Table("reporter-roles", "Who reported", "Reporter",
            Listed(ReporterRoles.Terms.Codes, await Tallied(ReportTallies.ReporterRole), ReporterRoles.Terms.Label)));
        await Add(Overview, "channels", async () => await Table("channels", "How reports reached Harbour", "Channel",
            Listed(ReportChannels.Terms.Codes, await Tallied(ReportTallies.Channel), ReportChannels.Terms.Label)));
        await Add(Overview, "relations", async () => await Table("relations", "Who it happened to", "Who",
            Listed(Relations.Codes, await Tallied(ReportTallies.Relation), Relations.Label)));

        await Add(WhereAndWhen, "places", async () => await Table("places", "Where it happened, most reported first", "Place",
            Listed(places, await ByLocation(), profile.PlaceName)));
        await Add(WhereAndWhen, "campuses", async () => await Table("campuses", "Campus, online or elsewhere", "Where",
            Listed(places.Select(profile.CampusOf), (await ByLocation()).GroupBy(r => profile.CampusOf(r.Key)).Select(g => (g.Key, g.Sum(r => r.Count))), name => name)));
        await Add(WhereAndWhen, "months", async () => await Table("months", "Reports by the month they were made (the first and last may be part months)", "Month",
            InOrder(months.Select(m => (MonthKey(m), MonthName(m))), (await ByDay()).Select(d => (MonthKey(d.Key), d.Count)))));
        // A date after the report's cannot be given (intake refuses a date in the future).
        await Add(WhereAndWhen, "occurred", async () => await Table("occurred", "Reports made in the period, by the month it happened in", "Month it happened",
            InOrder([("not-given", "No date given (or reported before Harbour counted it)"), ("earlier", $"Before {MonthName(months[0])}"), .. months.Select(m => (MonthKey(m), MonthName(m)))],
                (await Tallied(ReportTallies.Occurred)).Select(o => (o.Key == "" ? "not-given"
                    : DateOnly.ParseExact(o.Key + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture) is var month && month < months[0] ? "earlier" : o.Key, o.Count)))));
        await Add(WhereAndWhen, "weekdays", async () => await Table("weekdays", "Reports by the day of the week they were made", "Day",
            InOrder(Enumerable.Range(1, 7).Select(d => (DayOfWeek)(d % 7)).Select(d => (d.ToString().ToLowerInvariant(), UkTime.Culture.DateTimeFormat.GetDayName(d))),
                (await ByDay()).Select(d => (d.Key.DayOfWeek.ToString().ToLowerInvariant(), d.Count)))));
        await Add(WhereAndWhen, "times", async () => await Table("times", "Reports by the time of day they were made (UK time)", "Time of day",
            InOrder(TimesOfDay.Select((label, band) => ($"{band * 6:00}", label)),
                (await Tallied(ReportTallies.Hour)).Select(h => ($"{int.Parse(h.Key, CultureInfo.InvariantCulture) / 6 * 6:00}", h.Count)))));
        await Add(WhereAndWhen, "years", async () =>
        {
            // From the first report of any kind, whatever the filter: a first row at 0 must not say that such a report exists.
            var firstReport = await db.Reports.MinAsync(r => (DateOnly?)r.SubmittedOn, ct);
            var firstYear = FigureFilter.AcademicYearOf(firstReport is { } first && first < filter.To ? first : filter.To);
            var years = Enumerable.Range(0, Math.Max(1, FigureFilter.AcademicYearOf(filter.To).Year - firstYear.Year + 1)).Select(i => firstYear.AddYears(i));
            var everyDay = await ByDayOf(Tallies(filter with { From = DateOnly.MinValue, To = DateOnly.MaxValue }, profile, ReportTallies.Reports), ct);
            return await Table("years", "Reports by academic year (1 August to 31 July), every year held", "Academic year",
                InOrder(years.Select(y => (y.ToString("yyyy", CultureInfo.InvariantCulture), FigureFilter.AcademicYearName(y))),
                    everyDay.Select(d => (FigureFilter.AcademicYearOf(d.Key).ToString("yyyy", CultureInfo.InvariantCulture), d.Count))), ofReports: false);
        });

        await Add(Response, "response", async () =>
        {
            // A step carries its report's date, as its closure does: with no case ever reopened and no filter but the period, the
            // period's steps are all of its standing closures', read without joining them (0.2 s to 25 ms on a million reports).
            var ofPeriod = db.Steps.Where(s => s.SubmittedOn >= filter.From && s.SubmittedOn <= filter.To);
            if (anyReopened != false || filter.Category is not null || filter.Campus is not null)
                ofPeriod = ofPeriod.Where(s => closures.Any(c => c.ClosureKey == s.ClosureKey));
            var steps = await ofPeriod.Select(s => new { s.Step, s.MetInTime, s.Days }).ToListAsync(ct);
            var rows = steps.GroupBy(s => s.Step).OrderBy(g => g.Key == ResponseSteps.Triage ? 0 : g.Key == ResponseSteps.FirstContact ? 1 : 2)
                .ThenBy(g => g.Key)
                .Select(g =>
                {
                    var days = g.Where(s => s.Days is not null).Select(s => s.Days!.Value).Order().ToList();
                    string Days(double? value) => DisclosureControl.Average(value, days.Count, rules, d => d.ToString("0.0", CultureInfo.InvariantCulture)) ?? DisclosureControl.Suppressed;
                    return new PublishedRow(g.Key, ResponseSteps.Label(g.Key),
                        [DisclosureControl.Count(g.Count(), rules), ShareShown(g.Count(s => s.MetInTime), g.Count(), rules),
                            Days(Percentile(days, 0.5)), Days(Percentile(days, 0.9))],
                        rules.Unrounded ? g.Count() : DisclosureControl.Round(g.Count()));
                }).ToList();
            return new PublishedTable("response", "How fast each step of the response was met, for cases closed so far (days from the report)",
                ["Step", "Closed cases", "Met by its deadline", "Median days", "90th percentile days"], rows, null, rules.Unrounded);
        });
        await Add(Response, "outcomes", async () => DisclosureControl.Counts("outcomes", "Outcomes of the cases closed so far", "Outcome", "Closed cases",
            [.. Listed(profile.Outcomes.Select(o => o.Id), await Count(closures.Select(c => c.Outcome), ct), profile.OutcomeName)], await Closed(), rules));
        // Themes are the case managers' own words, with no list to show at 0: a theme shown as small is left out.
        await Add(Response, "themes", async () => DisclosureControl.Counts("themes", "Themes the case managers tagged closed cases with", "Theme", "Closed cases",
            [.. Listed([], await Count(closures.SelectMany(c => c.Tags), ct), tag => tag).Where(r => rules.Unrounded || DisclosureControl.Round(r.Count) > 0)],
            await Closed(), rules));
        await Add(Response, "open-ages", async () =>
        {
            // A case's closures carry its report's date: asking only those of the period's dates spares PostgreSQL hashing every
            // closure ever made (a second, against 60 ms, on a million reports).
            var standing = StandingClosures().Where(c => c.SubmittedOn >= filter.From && c.SubmittedOn <= filter.To);
            var openByDay = await Count(reports.Where(r => !standing.Any(c => c.CaseKey == r.CaseKey)).Select(r => r.SubmittedOn), ct);
            return DisclosureControl.Counts("open-ages", $"Cases of the period still open on {today.ToString("d MMMM yyyy", UkTime.Culture)}, by how long since the report",
                "Open for", "Open cases", [.. InOrder(OpenAges.Select(a => (a.Key, a.Label)),
                    openByDay.Select(d => (OpenAges.First(a => today.DayNumber - d.Key.DayNumber < a.Below).Key, d.Count)))],
                openByDay.Sum(d => d.Count), rules);
        });
        await Add(Response, "breaches", async () => await Table("breaches", "Response deadlines missed while the case was open, by the month they fell due", "Month due",
            InOrder(months.Select(m => (MonthKey(m), MonthName(m))),
                (await Count(OfCases(db.Breaches.AsNoTracking().Where(b => b.DueOn >= filter.From && b.DueOn <= filter.To), filter, profile).Select(b => b.DueOn), ct))
                    .Select(d => (MonthKey(d.Key), d.Count))),
            ofReports: false, counted: "Deadlines missed"));

        await Add(Support, "referrals", () => ReferralsAsync(filter, profile, rules, ct));
        await Add(Support, "departments", () => DepartmentsAsync(filter, profile, rules, ct));
        await Add(Support, "meetings", async () =>
        {
            var meetings = OfCases(db.Meetings.AsNoTracking().Where(m => m.HeldOn >= filter.From && m.HeldOn <= filter.To), filter, profile);
            var counts = await Count(meetings.Select(m => m.Held ? "held-" + m.Format : "missed"), ct);
            return DisclosureControl.Counts("meetings", "Meetings with reporters that took place in the period, held or missed", "Meeting", "Meetings",
                [.. Listed([.. ReportAnswers.MeetingFormats.Codes.Select(f => "held-" + f), "missed"], counts,
                    key => key == "missed" ? "Missed: the reporter did not come" : $"Held: {ReportAnswers.MeetingFormats.Label(key["held-".Length..])}")],
                counts.Sum(m => m.Count), rules);
        });

        List<PublishedTable> In(FigureSection of) => [.. made.Where(m => m.Section == of).Select(m => m.Table)];
        var reported = only is null || total is not null ? await Total() : 0;
        return new Figures(filter, rules.Unrounded ? reported : DisclosureControl.Round(reported), In(Overview), In(WhereAndWhen), In(Response), In(Support));
    }

    // Referrals made in the period, by service: how many, how many were warm, taken up (as last recorded), and helped
    // (of those taken up). Each share is of its own population, so each is suppressed under 22.5 on its own.
    async Task<PublishedTable> ReferralsAsync(FigureFilter filter, InstitutionProfile profile, DisclosureRules rules, CancellationToken ct)
    {
        var rows = await OfCases(db.Referrals.AsNoTracking().Where(r => r.MadeOn >= filter.From && r.MadeOn <= filter.To), filter, profile)
            .Select(r => new
            {
                r.ServiceId,
                Warm = r.How == ReferralKinds.WarmReferral,
                Latest = db.Uptakes.Where(u => u.ReferralKey == r.ReferralKey).OrderByDescending(u => u.RecordedAt)
                    .Select(u => new { u.Uptake, u.Helped }).FirstOrDefault(),
            })
            .GroupBy(r => r.ServiceId)
            .Select(g => new
            {
                Service = g.Key,
                Count = g.Count(),
                Warm = g.Count(r => r.Warm),
                TakenUp = g.Count(r => r.Latest != null && r.Latest.Uptake == ReferralUptakes.TakenUp),
                Helped = g.Count(r => r.Latest != null && r.Latest.Uptake == ReferralUptakes.TakenUp && (r.Latest.Helped == "yes" || r.Latest.Helped == "partly")),
            }).ToListAsync(ct);
        // Every service of the directory, even at 0 (as in every table), then any the profile no longer has.
        var byService = rows.ToDictionary(r => r.Service);
        return new PublishedTable("referrals", "Support suggested to reporters, and taken up", ["Service", "Referrals", "Warm referrals",
                "Taken up", "Helped (of those taken up)"],
            [.. ListedKeys(profile.Support.Select(s => s.Id), rows.ToDictionary(r => r.Service, r => r.Count), rules)
                .Select(id => byService.TryGetValue(id, out var row) ? row : new { Service = id, Count = 0, Warm = 0, TakenUp = 0, Helped = 0 })
                .Select(r => new PublishedRow(r.Service, profile.Support.FirstOrDefault(s => s.Id == r.Service)?.Name ?? r.Service,
                    [DisclosureControl.Count(r.Count, rules), ShareShown(r.Warm, r.Count, rules), ShareShown(r.TakenUp, r.Count, rules), ShareShown(r.Helped, r.TakenUp, rules)],
                    rules.Unrounded ? r.Count : DisclosureControl.Round(r.Count)))],
            null, rules.Unrounded);
    }

    // Departments informed in the period (alerts and requests for legal advice that reached them), by department: how many,
    // how many were acknowledged, how many by the date asked (a UK date), and the median days from sending to acknowledgement.
    async Task<PublishedTable> DepartmentsAsync(FigureFilter filter, InstitutionProfile profile, DisclosureRules rules, CancellationToken ct)
    {
        var today = UkTime.Today(clock);
        var alerts = await OfCases(db.Alerts.AsNoTracking().Where(a => a.RequestedOn >= filter.From && a.RequestedOn <= filter.To), filter, profile)
            .Select(a => new
            {
                a.DepartmentId, a.RequestedAt, a.AcknowledgeBy,
                AcknowledgedAt = db.Acknowledgements.Where(k => k.AlertKey == a.AlertKey).Select(k => (DateTimeOffset?)k.AcknowledgedAt).FirstOrDefault(),
            }).ToListAsync(ct);
        var byDepartment = alerts.GroupBy(a => a.DepartmentId).ToDictionary(g => g.Key, g => g.ToList());
        return new PublishedTable("departments", "Departments informed of cases, and how fast they acknowledged", ["Department", "Alerts",
                "Acknowledged", "Acknowledged by the date asked", "Median days to acknowledge"],
            [.. ListedKeys(profile.Departments.Select(d => d.Id), byDepartment.ToDictionary(d => d.Key, d => d.Value.Count), rules).Select(id =>
            {
                var sent = byDepartment.GetValueOrDefault(id) ?? [];
                var acknowledged = sent.Where(a => a.AcknowledgedAt is not null).ToList();
                // Of the alerts whose date has passed, or that were acknowledged already: one still within its date is not late.
                var due = sent.Where(a => a.AcknowledgedAt is not null || a.AcknowledgeBy < today).ToList();
                var days = acknowledged.Select(a => (a.AcknowledgedAt!.Value - a.RequestedAt).TotalDays).Order().ToList();
                var acknowledgedShare = ShareShown(acknowledged.Count, sent.Count, rules);
                // The median is left out with the share it belongs to, so that its showing cannot tell how many it is of.
                var median = acknowledgedShare == DisclosureControl.Suppressed ? null
                    : DisclosureControl.Average(Percentile(days, 0.5), days.Count, rules, d => d.ToString("0.0", CultureInfo.InvariantCulture));
                return new PublishedRow(id, profile.Departments.FirstOrDefault(d => d.Id == id)?.Name ?? id,
                    [DisclosureControl.Count(sent.Count, rules), acknowledgedShare,
                        ShareShown(due.Count(a => a.AcknowledgedAt is { } at && DateOnly.FromDateTime(at.InUk().DateTime) <= a.AcknowledgeBy), due.Count, rules),
                        median ?? DisclosureControl.Suppressed],
                    rules.Unrounded ? sent.Count : DisclosureControl.Round(sent.Count));
            })],
            null, rules.Unrounded);
    }

    // A share as a cell shows it: its percentage, or "suppressed".
    static string ShareShown(int count, int of, DisclosureRules rules) => DisclosureControl.Share(count, of, rules) ?? DisclosureControl.Suppressed;

    // Every key the table can have, even at 0, then any other that was counted unless it is shown as small (an id the profile
    // no longer has); ordered by the count as shown (rounded), never the true one, which would tell two rows shown alike
    // apart; rows shown alike keep the order they are listed in.
    static IEnumerable<string> ListedKeys(IEnumerable<string> known, IReadOnlyDictionary<string, int> counts, DisclosureRules rules)
    {
        var keys = known.Distinct().ToList();
        int Shown(string key) => rules.Unrounded ? counts.GetValueOrDefault(key) : DisclosureControl.Round(counts.GetValueOrDefault(key));
        return keys.Concat(counts.Keys.Where(k => !keys.Contains(k) && Shown(k) > 0).Order())
            .Select((key, order) => (key, order)).OrderByDescending(k => Shown(k.key)).ThenBy(k => k.order).Select(k => k.key);
    }

    // Facts of the cases whose report matches the filter's category and campus (any date); all of them when it names neither.
    IQueryable<T> OfCases<T>(IQueryable<T> facts, FigureFilter filter, InstitutionProfile profile) where T : ICaseFact
    {
        if (filter.Category is null && filter.Campus is null) return facts;
        var reports = Reports(filter with { From = DateOnly.MinValue, To = DateOnly.MaxValue }, profile);
        return facts.Where(f => reports.Any(r => r.CaseKey == f.CaseKey));
    }

    /// <summary>The learning summaries of the closed cases of reports made in the whole academic years the filter touches
    /// (never finer, so that two periods a day apart cannot be compared into one case's summary), of its category and
    /// campus; at most <see cref="LearningPageSize"/>, in an order that says nothing of when; none when fewer than
    /// <see cref="FewestLearningShown"/> match, since a short list is a small count.</summary>
    public async Task<IReadOnlyList<Learning>> LearningAsync(FigureFilter filter, InstitutionProfile profile, CancellationToken ct)
    {
        anyReopened ??= await db.Reopenings.AnyAsync(ct);
        var years = filter with { From = FigureFilter.AcademicYearOf(filter.From), To = FigureFilter.AcademicYearOf(filter.To).AddYears(1).AddDays(-1) };
        var rows = await Standing(years, profile).Where(c => c.LearningSummary != null)
            .OrderBy(c => c.ClosureKey).Take(LearningPageSize)
            .Select(c => new { c.Categories, c.Location, c.LearningSummary, c.Tags }).ToListAsync(ct);
        return rows.Count < FewestLearningShown ? []
            : [.. rows.Select(r => new Learning([.. r.Categories.Select(profile.CategoryName)], profile.CampusOf(r.Location), r.LearningSummary!, r.Tags))];
    }

    public static string Period(FigureFilter filter) =>
        $"{filter.From.ToString("d MMMM yyyy", UkTime.Culture)} to {filter.To.ToString("d MMMM yyyy", UkTime.Culture)}";

    IQueryable<ReportTally> Tallies(FigureFilter filter, InstitutionProfile profile, string dimension) =>
        ReportTallies.Of(db, dimension, filter.From, filter.To, filter.Category, filter.Campus is { } campus ? PlacesOn(campus, profile) : null);

    static async Task<List<(string Key, int Count)>> ByValue(IQueryable<ReportTally> tallies, CancellationToken ct) =>
        [.. (await tallies.GroupBy(t => t.Value).Select(g => new { g.Key, Count = g.Sum(t => t.Reports) }).ToListAsync(ct)).Select(g => (g.Key, g.Count))];

    static async Task<List<(DateOnly Key, int Count)>> ByDayOf(IQueryable<ReportTally> tallies, CancellationToken ct) =>
        [.. (await tallies.GroupBy(t => t.Day).Select(g => new { g.Key, Count = g.Sum(t => t.Reports) }).ToListAsync(ct)).Select(g => (g.Key, g.Count))];

    IQueryable<ReportFact> Reports(FigureFilter filter, InstitutionProfile profile)
    {
        var reports = db.Reports.AsNoTracking().Where(r => r.SubmittedOn >= filter.From && r.SubmittedOn <= filter.To);
        if (filter.Category is { } category) reports = reports.Where(r => r.Categories.Contains(category));
        if (filter.Campus is not null)
        {
            var places = PlacesOn(filter.Campus, profile);
            reports = reports.Where(r => places.Contains(r.Location));
        }
        return reports;
    }

    IQueryable<ClosureFact> Standing(FigureFilter filter, InstitutionProfile profile)
    {
        var closures = StandingClosures().Where(c => c.SubmittedOn >= filter.From && c.SubmittedOn <= filter.To);
        if (filter.Category is { } category) closures = closures.Where(c => c.Categories.Contains(category));
        if (filter.Campus is not null)
        {
            var places = PlacesOn(filter.Campus, profile);
            closures = closures.Where(c => places.Contains(c.Location));
        }
        return closures;
    }

    // Closures that stand: no reopening of their case came after them. When no case was ever reopened, every closure stands,
    // and PostgreSQL is not asked to check each against an empty table (which it does one closure at a time: 0.1 s for a
    // year's 60,000 closures, a query, on a million reports).
    IQueryable<ClosureFact> StandingClosures() => anyReopened == false ? db.Closures.AsNoTracking()
        : db.Closures.AsNoTracking().Where(c => !db.Reopenings.Any(r => r.CaseKey == c.CaseKey && r.ReopenedAt > c.ClosedAt));

    // Whether any case was ever reopened, asked once per request (StandingClosures).
    bool? anyReopened;

    // The place ids on a campus; a place that stands alone is its own campus; an id the profile no longer has, itself.
    static List<string> PlacesOn(string campus, InstitutionProfile profile) =>
        [.. profile.Places.Where(p => (p.Campus ?? p.Name) == campus).Select(p => p.Id), campus];

    // How many of each value, in one GROUP BY.
    static async Task<List<(T Key, int Count)>> Count<T>(IQueryable<T> keys, CancellationToken ct) =>
        [.. (await keys.GroupBy(k => k).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct)).Select(g => (g.Key, g.Count))];

    // The value below which the given fraction of sorted values falls, interpolated between neighbours (as PostgreSQL's percentile_cont).
    static double? Percentile(List<double> sorted, double fraction)
    {
        if (sorted.Count == 0) return null;
        var at = fraction * (sorted.Count - 1);
        var below = (int)Math.Floor(at);
        return below + 1 < sorted.Count ? sorted[below] + (at - below) * (sorted[below + 1] - sorted[below]) : sorted[below];
    }
}
