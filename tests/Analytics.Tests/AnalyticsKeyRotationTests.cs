using Harbour.Analytics.Figures;
using Harbour.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harbour.Analytics.Tests;

// The analytics key rotates without the ids analytics never keeps: the stored pseudonyms move forward in place when
// analytics starts with the next key, the figures stay as they were, and an event after the rotation still finds the facts
// kept before it (its own database: the rotation moves every fact in it).
public sealed class AnalyticsKeyRotationTests(AnalyticsFactory analytics) : IClassFixture<AnalyticsFactory>
{
    const string NextKey = "test-analytics-key-next-0123456789abcdefghijklmnopqrstuvwxyz";
    static readonly string[] Sections = ["overview", "whereAndWhen", "response", "support"];

    [Fact]
    public async Task AStartWithTheNextKeyMovesEveryPseudonymAndTheFiguresAndLaterEventsStayAsThoughNothingChanged()
    {
        var reports = Enumerable.Range(1, 6).Select(month => AnalyticsTests.In(2019, month) with { Relation = "me" }).ToList();
        var closures = reports.Take(3).Select(r => AnalyticsTests.Closed(r, "resolved-informally", 1, 3)).ToList();
        foreach (var report in reports) await analytics.PublishAsync(report);
        await Eventually.GetAsync(() => analytics.FiguresAsync(2019, unrounded: true), f => f.GetProperty("reports").GetInt32() == 6, "the reports counted");
        foreach (var closure in closures) await analytics.PublishAsync(closure);
        var before = await Eventually.GetAsync(() => analytics.FiguresAsync(2019, unrounded: true),
            f => f.Rows("outcomes")["resolved-informally"][0] == "3", "the closures counted");
        var storedBefore = await StoredAsync(analytics);
        storedBefore.Count.ShouldBe(6 + 3, "each report and each closure has its pseudonym");

        // Restarted with the next key, the earlier one named before it: every stored pseudonym moves, once.
        await using var rotated = new AnalyticsFactory();
        rotated.Settings["ConnectionStrings:analyticsdb"] = analytics.ServiceDatabase;
        rotated.Settings["Harbour:AnalyticsKey"] = NextKey;
        rotated.Settings["Harbour:EarlierAnalyticsKeys"] = ServiceFactory<Program>.AnalyticsKey;
        await rotated.InitializeAsync();
        var next = rotated.Services.GetRequiredService<Pseudonyms>();
        var storedAfter = await StoredAsync(rotated);
        storedAfter.ShouldBe(storedBefore.Select(value => next.Under(1, value)).Order().ToList(), "each value made again under the next key");
        storedAfter.Intersect(storedBefore).ShouldBeEmpty("no value the earlier key alone gives is left");
        var after = await rotated.FiguresAsync(2019, unrounded: true);
        foreach (var section in Sections) after.GetProperty(section).GetRawText().ShouldBe(before.GetProperty(section).GetRawText(), section);

        // An event after the rotation finds the facts kept before it: a reopening takes its closure out of the outcomes.
        await rotated.PublishAsync(new CaseReopened(reports[0].ReportId, closures[0].ClosedAt.AddDays(1)));
        await Eventually.GetAsync(() => rotated.FiguresAsync(2019, unrounded: true), f => f.Rows("outcomes")["resolved-informally"][0] == "2",
            "the reopened case's outcome to leave");

        // A replica still on the earlier key keeps nothing from now on; its events wait for one that holds the current key.
        await using (var scope = analytics.Services.CreateAsyncScope())
        {
            var earlier = scope.ServiceProvider.GetRequiredService<Pseudonyms>();
            var fact = new ReopeningFact { CaseKey = earlier.Of(reports[1].ReportId), ReopenedAt = DateTimeOffset.UtcNow };
            await Should.ThrowAsync<InvalidOperationException>(() =>
                scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>().KeepOnceAsync(earlier, fact, r => r.CaseKey == fact.CaseKey, default));
        }
        (await StoredAsync(rotated)).ShouldBe(storedAfter, "the reopening names its report's pseudonym, and nothing else was kept");
        await using (var scope = rotated.Services.CreateAsyncScope())
            (await scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>().Reopenings.CountAsync()).ShouldBe(1);

        // Started without the earlier key, or with the keys in another order, analytics refuses, changing nothing.
        await using (var scope = rotated.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>();
            foreach (var keys in new[] { (NextKey, (string?)null), (ServiceFactory<Program>.AnalyticsKey, NextKey) })
            {
                var wrong = new Pseudonyms(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Harbour:AnalyticsKey"] = keys.Item1, ["Harbour:EarlierAnalyticsKeys"] = keys.Item2,
                }).Build());
                (await Should.ThrowAsync<InvalidOperationException>(() => PseudonymRotation.ApplyAsync(db, wrong, NullLogger.Instance, default)))
                    .Message.ShouldContain("were made under the analytics keys");
            }
            (await db.PseudonymKeys.OrderBy(k => k.Position).Select(k => k.KeyId).ToListAsync()).ShouldBe(next.KeyIds);
        }
        (await StoredAsync(rotated)).ShouldBe(storedAfter);
    }

    // Every pseudonym stored, in every column that holds one, in order.
    static async Task<List<Guid>> StoredAsync(AnalyticsFactory service)
    {
        await using var scope = service.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>();
        var values = new List<Guid>();
        foreach (var (table, column) in PseudonymRotation.Columns(db))
        {
            var query = $"SELECT DISTINCT \"{column}\" AS \"Value\" FROM \"{table}\"";
            values.AddRange(await db.Database.SqlQueryRaw<Guid>(query).ToListAsync());
        }
        return [.. values.Distinct().Order()];
    }
}
