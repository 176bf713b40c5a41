using Harbour.Contracts;
using Harbour.ServiceDefaults.Outbox;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NetEscapades.AspNetCore.SecurityHeaders;

namespace Harbour.Notifications.Departments;

// /acknowledge/{token}: the link in a department alert. Opening it shows what it acknowledges and a button (mail scanners that
// follow links acknowledge nothing); the button records the acknowledgement once, for the case's timeline
// (DepartmentAlertAcknowledged, through the outbox). No account: the unguessable token is the proof. Antiforgery is not asked
// for, since the token already is the secret a forged request would need.
[IgnoreAntiforgeryToken]
// The token is in the address: like every answer (HeaderPolicy), the page is never kept by a cache, sends no Referer and
// cannot be framed; its policy lets its own small stylesheet through.
[SecurityHeadersPolicy(HeaderPolicy.InlineStyles)]
public sealed class AcknowledgeModel(NotificationsDbContext db, TimeProvider clock) : PageModel
{
    public enum LinkState { NotValid, Expired, Open, Acknowledged }

    public LinkState State { get; private set; }
    public DepartmentAlertRecord? Alert { get; private set; }
    public bool JustAcknowledged { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        await FindAsync(token, ct);
        return Answer();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        await FindAsync(token, ct);
        if (State != LinkState.Open) return Answer();
        var now = clock.GetUtcNow();
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Two clicks at once, or two people with two links: one acknowledgement.
            var taken = await db.DepartmentAlerts.Where(a => a.AlertId == Alert!.AlertId && a.AcknowledgedAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(a => a.AcknowledgedAt, now), ct);
            if (taken == 1)
            {
                db.Outbox.Add(OutboxMessage.For(new DepartmentAlertAcknowledged(Alert!.AlertId, now), clock));
                await db.SaveChangesAsync(ct);
            }
            await transaction.CommitAsync(ct);
        });
        await FindAsync(token, ct);
        JustAcknowledged = true;
        return Answer();
    }

    async Task FindAsync(string token, CancellationToken ct)
    {
        State = LinkState.NotValid;
        if (!SecretTokens.LooksLikeToken(token)) return;
        var hash = SecretTokens.Hash(token);
        var found = await (from link in db.AcknowledgeLinks
                           join alert in db.DepartmentAlerts on link.AlertId equals alert.AlertId
                           where link.TokenHash == hash
                           select new { link.ExpiresAt, Alert = alert }).AsNoTracking().SingleOrDefaultAsync(ct);
        if (found is null) return;
        Alert = found.Alert;
        State = found.Alert.AcknowledgedAt is not null ? LinkState.Acknowledged
            : found.ExpiresAt <= clock.GetUtcNow() ? LinkState.Expired
            : LinkState.Open;
    }

    IActionResult Answer()
    {
        if (State == LinkState.NotValid) Response.StatusCode = StatusCodes.Status404NotFound;
        else if (State == LinkState.Expired) Response.StatusCode = StatusCodes.Status410Gone;
        return Page();
    }
}
