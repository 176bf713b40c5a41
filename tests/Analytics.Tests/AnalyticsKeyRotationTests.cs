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
        // A fact of every other kind, so that every column that holds a pseudonym has one to move.
        var (referral, alert, on) = (Guid.NewGuid(), Guid.NewGuid(), new DateTimeOffset(2019, 5, 20, 9, 0, 0, TimeSpan.Zero));
        await analytics.PublishAsync(new SupportSuggested(referral, reports[3].ReportId, "counselling", ReferralKinds.Signpost, new(2019, 5, 20), on));
        await analytics.PublishAsync(new ReferralUptakeRecorded(referral, reports[3].ReportId, "counselling", ReferralUptakes.TakenUp, null, on.AddDays(3)));
        await analytics.PublishAsync(new DeadlineMissed(reports[4].ReportId, ResponseSteps.Triage, new(2019, 5, 16)));
        await analytics.PublishAsync(new DepartmentInformed(alert, reports[4].ReportId, "campus-security", on, new(2019, 5, 22)));
        await analytics.PublishAsync(new DepartmentAlertAcknowledged(alert, on.AddDays(1)));
        await analytics.PublishAsync(new MeetingRecorded(Guid.NewGuid(), reports[5].ReportId, true, "online", on));
        await analytics.PublishAsync(new CaseReopened(reports[1].ReportId, closures[1].ClosedAt.AddDays(1)));
        await analytics.PublishAsync(closures[1] with { ClosureId = Guid.NewGuid(), ClosedAt = closures[1].ClosedAt.AddDays(2) });
        var before = await Eventually.GetAsync(() => analytics.FiguresAsync(2019, unrounded: true),
            f => f.Rows("outcomes")["resolved-informally"][0] == "3" && f.Rows("meetings").Values.Sum(cells => int.Parse(cells[0])) == 1
                && f.Rows("referrals")["counselling"][0] == "1", "every fact counted");
        await using (var scope = analytics.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>();
            await Eventually.GetAsync(async () => (await db.Uptakes.CountAsync(), await db.Acknowledgements.CountAsync(), await db.Breaches.CountAsync(),
                await db.Reopenings.CountAsync()), counts => counts == (1, 1, 1, 1), "the uptake, acknowledgement, missed deadline and reopening kept");
            // Every uuid column of analytics' tables holds a pseudonym and is moved, but the staff sessions cases ended.
            var uuidColumns = await db.Database.SqlQueryRaw<string>("""
                SELECT table_name || '.' || column_name AS "Value" FROM information_schema.columns
                WHERE table_schema = 'public' AND data_type = 'uuid' AND table_name <> 'ended_sessions'
                """).ToListAsync();
            PseudonymRotation.Columns(db).Select(c => $"{c.Table}.{c.Column}").Order().ShouldBe(uuidColumns.Order());
            (await db.Database.SqlQueryRaw<bool>("SELECT condeferrable AS \"Value\" FROM pg_constraint WHERE conname = 'fk_steps_closures_closure_key'").SingleAsync())
                .ShouldBeTrue("a step's closure is checked once both have moved");
        }
        var storedBefore = await StoredAsync(analytics);
        storedBefore.Count.ShouldBe(6 + 4 + 1 + 1 + 1, "each report, closure, referral, alert and meeting has its pseudonym");

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
        int reopenings;
        await using (var scope = rotated.Services.CreateAsyncScope())
            reopenings = await scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>().Reopenings.CountAsync();

        // A replica still on the earlier key keeps nothing from now on; its events wait for one that holds the current key.
        await using (var scope = analytics.Services.CreateAsyncScope())
        {
            var earlier = scope.ServiceProvider.GetRequiredService<Pseudonyms>();
            var fact = new ReopeningFact { CaseKey = earlier.Of(reports[1].ReportId), ReopenedAt = DateTimeOffset.UtcNow };
            (await Should.ThrowAsync<InvalidOperationException>(() =>
                scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>().KeepOnceAsync(earlier, fact, r => r.CaseKey == fact.CaseKey, default)))
                .Message.ShouldContain("pseudonyms are under analytics key");
        }
        (await StoredAsync(rotated)).ShouldBe(storedAfter, "the reopening names its report's pseudonym, and nothing else was kept");
        await using (var scope = rotated.Services.CreateAsyncScope())
            (await scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>().Reopenings.CountAsync()).ShouldBe(reopenings);

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
            // A database from before keys were recorded cannot say which key it holds: its first start records one key, never rotates.
            await db.PseudonymKeys.ExecuteDeleteAsync();
            (await Should.ThrowAsync<InvalidOperationException>(() => PseudonymRotation.ApplyAsync(db, next, NullLogger.Instance, default)))
                .Message.ShouldContain("does not yet record the analytics key");
            await PseudonymRotation.ApplyAsync(db, new Pseudonyms(new ConfigurationBuilder().AddInMemoryCollection(
                new Dictionary<string, string?> { ["Harbour:AnalyticsKey"] = NextKey }).Build()), NullLogger.Instance, default);
            (await db.PseudonymKeys.Select(k => k.KeyId).ToListAsync()).ShouldBe([next.KeyIds[^1]]);
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
            var query = $"SELECT DISTINCT \"{column}\" AS \"Value\" FROM \"{table}\" WHERE \"{column}\" IS NOT NULL";
            values.AddRange(await db.Database.SqlQueryRaw<Guid>(query).ToListAsync());
        }
        return [.. values.Distinct().Order()];
    }
}
