using System.Net;
using Harbour.Cases.Audit;
using Harbour.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

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
        db.AuditLog.Add(AuditEntry.By("Ada Admin", "staff.signed-in", TimeProvider.System, detail: "before the anchor"));
        await db.SaveChangesAsync();
        // A day of its own, far ahead, so that no anchor this service took by itself counts for it.
        var day = new LaterClock(TimeSpan.FromDays(1000 + Random.Shared.Next(1000)));
        var (ready, published) = cases.Listen<AuditChainAnchored>(a => a.At >= day.GetUtcNow().AddMinutes(-5));
        await ready;
        var newest = await db.AuditLog.OrderByDescending(a => a.Id).FirstAsync();

        var anchor = (await AuditAnchor.TakeAsync(db, day, default)).ShouldNotBeNull();
        (anchor.EntryId, anchor.Hash).ShouldBe((newest.Id, Convert.ToHexStringLower(newest.Hash!)));
        anchor.Hash.ShouldMatch("^[0-9a-f]{64}$");
        (await published.WaitAsync(TimeSpan.FromSeconds(30))).AnchorId.ShouldBe(anchor.AnchorId, "it leaves through the outbox");
        (await AuditAnchor.TakeAsync(db, day, default)).ShouldBeNull("one anchor a UK day, whichever replica takes it");
        (await db.AuditLog.OrderByDescending(a => a.Id).FirstAsync()).Action.ShouldBe(AuditAnchor.Action, "the log says an anchor went out");

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
        await using (var restore = new Npgsql.NpgsqlConnection(cases.AdminDatabase))
        {
            await restore.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("ALTER TABLE audit.log DISABLE TRIGGER USER; UPDATE audit.log SET actor = @actor WHERE id = @id; ALTER TABLE audit.log ENABLE TRIGGER USER", restore);
            command.Parameters.AddWithValue("actor", first.Actor);
            command.Parameters.AddWithValue("id", first.Id);
            await command.ExecuteNonQueryAsync();
        }
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
        cut.ShouldContain($"Entry {anchor.EntryId} is not in the log");
        (await db.AuditLog.Where(a => a.Action == "audit.anchor-check-failed").CountAsync()).ShouldBeGreaterThanOrEqualTo(1, "each check is audited");
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
