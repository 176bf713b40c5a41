using System.Net;
using Harbour.Cases.Audit;
using Harbour.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harbour.Cases.Tests;

// The audit chain's daily anchor: taken out of the database once a UK day, and the log checked against it (its own database,
// so that no other test's tampering is in the chain).
public sealed class AuditAnchorTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    [Fact]
    public async Task AnAnchorTakenOnceADayShowsTheNewestEntriesRemovedOrTheWholeChainRewrittenWhichTheChainAloneCannot()
    {
        var admin = await cases.SignedInAdminAsync();
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        // What people type, as the database chains it: the anchor works the same hashes out again from the entries.
        db.AuditLog.Add(AuditEntry.By("Zaïd \u0632\u064a\u062f \"Z\" \\ 漢", "staff.sign-in-refused", TimeProvider.System,
            detail: "typed: \"quoted\" back\\slash\nnew line\ttab \u0001 é 😀"));
        await db.SaveChangesAsync();
        // A day of its own, ahead, so that no anchor this service took by itself counts for it (the other test's days in 2040
        // are later still: an anchor on a later day does not stand for this one).
        var day = new LaterClock(TimeSpan.FromDays(1000 + Random.Shared.Next(500)));
        var (ready, published) = cases.Listen<AuditChainAnchored>(a => Math.Abs((a.At - day.GetUtcNow()).TotalMinutes) < 5);
        await ready;

        var anchor = (await AuditAnchor.TakeAsync(db, day, NullLogger.Instance, default)).ShouldNotBeNull();
        anchor.ChainHolds.ShouldBeTrue("the hashes worked out here are the database's own");
        anchor.Hash.ShouldMatch("^[0-9a-f]{64}$");
        var anchored = await db.AuditLog.AsNoTracking().OrderByDescending(a => a.Id).FirstAsync();
        anchored.Action.ShouldBe(AuditAnchor.Action, "the log says an anchor went out");
        Convert.ToHexStringLower(anchored.PreviousHash!).ShouldBe(anchor.Hash, "the anchor is the entry just before its own");
        (await published.WaitAsync(TimeSpan.FromSeconds(30))).AnchorId.ShouldBe(anchor.AnchorId, "it leaves through the outbox");
        (await AuditAnchor.TakeAsync(db, day, NullLogger.Instance, default)).ShouldBeNull("one anchor a UK day, whichever replica takes it");
        var (from, to) = (day.GetUtcNow().AddMinutes(-5), day.GetUtcNow().AddMinutes(5));
        (await db.AuditLog.CountAsync(a => a.Action == AuditAnchor.Action && a.At >= from && a.At < to)).ShouldBe(1);

        (await CheckAsync(admin, $"{anchor.EntryId}", anchor.Hash.ToUpperInvariant())).ShouldContain("id=\"anchor-holds\"");
        // A mistyped anchor is named beside its field, with what was typed kept.
        var wrong = await admin.PostAsync("/cases/audit?handler=Anchor", CheckForm(await admin.GetStringAsync("/cases/audit"), "forty-two", anchor.Hash));
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = await wrong.Content.ReadAsStringAsync();
        page.ShouldContain("id=\"anchor-entry-error\"");
        page.ShouldContain("value=\"forty-two\"");
        (await CheckAsync(admin, $"{anchor.EntryId}", "not a hash")).ShouldContain("id=\"anchor-hash-error\"");
        // An entry before the anchor edited, its hash left: the anchored hash is as it was, and the check still fails.
        var first = await db.AuditLog.AsNoTracking().OrderBy(a => a.Id).FirstAsync();
        await cases.OutsideHarbourAsync($"UPDATE audit.log SET actor = 'nobody' WHERE id = {first.Id}");
        (await CheckAsync(admin, $"{anchor.EntryId}", anchor.Hash)).ShouldContain("id=\"anchor-failed\"");
        await cases.OutsideHarbourAsync("UPDATE audit.log SET actor = @actor WHERE id = @id", ("actor", first.Actor), ("id", first.Id));
        (await CheckAsync(admin, $"{anchor.EntryId}", anchor.Hash)).ShouldContain("id=\"anchor-holds\"", customMessage: "put back as it was");

        // Whoever runs the database server changes the anchored entry, works its hash out again and removes every entry
        // after it: the chain verifies as it did, and only the anchor shows it.
        (await db.BrokenLinksAsync(default)).ShouldBeEmpty();
        await cases.OutsideHarbourAsync($"""
            UPDATE audit.log SET detail = 'rewritten', detail_hash = sha256('rewritten'::bytea) WHERE id = {anchor.EntryId};
            UPDATE audit.log SET hash = sha256(coalesce(previous_hash, ''::bytea) || audit.content(id, at, actor, action, case_id, detail, screen, detail_hash)) WHERE id = {anchor.EntryId};
            DELETE FROM audit.log WHERE id > {anchor.EntryId}
            """);
        (await db.BrokenLinksAsync(default)).ShouldBeEmpty("the chain alone does not show a rewrite");
        var rewritten = await CheckAsync(admin, $"{anchor.EntryId}", anchor.Hash);
        rewritten.ShouldContain("id=\"anchor-failed\"");
        rewritten.ShouldContain("was changed after the anchor was taken");

        // Then the anchored entry and everything after it removed: the log ends before the anchor.
        await cases.OutsideHarbourAsync($"DELETE FROM audit.log WHERE id >= {anchor.EntryId}");
        (await db.BrokenLinksAsync(default)).ShouldBeEmpty("the chain alone does not show its end cut off");
        var cut = await CheckAsync(admin, $"{anchor.EntryId:N0}", anchor.Hash);
        cut.ShouldContain("id=\"anchor-failed\"");
        cut.ShouldContain($"There is no entry {anchor.EntryId} in the log");
        (await db.AuditLog.Where(a => a.Action == "audit.anchor-check-failed").Select(a => a.Detail).ToListAsync())
            .ShouldContain($"entry {anchor.EntryId}, hash {anchor.Hash[..12]}…: removed", "each check is audited, with the anchor it was given");

        // Even with the chain's own check rewritten to find nothing, the anchor is checked from the entries themselves.
        var kept = await db.AuditLog.AsNoTracking().Where(a => a.Id < anchor.EntryId).OrderByDescending(a => a.Id).FirstAsync();
        var earlierAnchor = (await AuditAnchor.ChainAsync(db, kept.Id, default)).ShouldNotBeNull();
        var earlierHash = Convert.ToHexStringLower(earlierAnchor.Hash);
        (await CheckAsync(admin, $"{kept.Id}", earlierHash)).ShouldContain("id=\"anchor-holds\"");
        await cases.OutsideHarbourAsync($"""
            UPDATE audit.log SET action = 'case.printed' WHERE id = {kept.Id};
            CREATE OR REPLACE FUNCTION audit.broken_links() RETURNS TABLE (id bigint) LANGUAGE sql STABLE AS 'SELECT NULL::bigint WHERE false'
            """);
        (await db.BrokenLinksAsync(default)).ShouldBeEmpty("the database's own check, rewritten, finds nothing");
        (await CheckAsync(admin, $"{kept.Id}", earlierHash)).ShouldContain("id=\"anchor-failed\"");
    }

    [Fact]
    public async Task TheAnchorIsTakenOnceAUkDayWhicheverReplicaAsksFirst()
    {
        await cases.SignedInAdminAsync();
        // 23:30 on 1 July 2040 in the UK (summer time), twice at once; then 00:30 on 2 July in the UK (still 1 July in UTC);
        // then later that UK day.
        var lateEvening = new FixedClock(new DateTimeOffset(2040, 7, 1, 22, 30, 0, TimeSpan.Zero));
        async Task<AuditChainAnchored?> TakeAsync(TimeProvider clock)
        {
            await using var scope = cases.Services.CreateAsyncScope();
            return await AuditAnchor.TakeAsync(scope.ServiceProvider.GetRequiredService<CasesDbContext>(), clock, NullLogger.Instance, default);
        }
        (await Task.WhenAll(TakeAsync(lateEvening), TakeAsync(lateEvening))).Count(a => a is not null).ShouldBe(1, "two replicas at once take one anchor");
        (await TakeAsync(new FixedClock(new DateTimeOffset(2040, 7, 1, 23, 30, 0, TimeSpan.Zero)))).ShouldNotBeNull("a new UK day, though not in UTC");
        (await TakeAsync(new FixedClock(new DateTimeOffset(2040, 7, 2, 22, 0, 0, TimeSpan.Zero)))).ShouldBeNull("the same UK day");
    }

    static FormUrlEncodedContent CheckForm(string page, string entry, string hash)
    {
        var form = HtmlForm.Read(page, "form[action*='handler=Anchor']");
        form["anchorEntry"] = entry;
        form["anchorHash"] = hash;
        return form.ToContent();
    }

    static async Task<string> CheckAsync(HttpClient admin, string entry, string hash)
    {
        var response = await admin.PostAsync("/cases/audit?handler=Anchor", CheckForm(await admin.GetStringAsync("/cases/audit"), entry, hash));
        var page = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(page.Contains("error-message") ? HttpStatusCode.BadRequest : HttpStatusCode.OK);
        return page;
    }
}
