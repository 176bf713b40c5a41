using Microsoft.EntityFrameworkCore;

namespace Harbour.Notifications.Deliveries;

/// <summary>One email in the delivery log: when (UTC: sent, or the last failed attempt), what for (an EmailPurposes code), to
/// whom (an address; "reporter" for a reporter), its subject, how many attempts it took, whether it went, and if not, the
/// last failure's reason, and whether it is tried again (Final: no). Never a body.</summary>
public sealed record DeliveryRow(DateTimeOffset At, string Purpose, string Recipient, string Subject, int Attempts, bool Sent, string? Reason, bool Final = false);

/// <summary>Which emails to list: a purpose (an EmailPurposes code), sent or not-sent, and older than a time (the page before's
/// last row), newest first.</summary>
public sealed record DeliveryFilter(string? Purpose, string? Status, DateTimeOffset? Before);

public static class DeliveryLog
{
    public const int PageSize = 50;

    public static async Task<List<DeliveryRow>> DeliveriesAsync(this NotificationsDbContext db, DeliveryFilter filter, CancellationToken ct)
    {
        var rows = new List<DeliveryRow>();
        if (filter.Status != "not-sent")
            rows.AddRange(await db.Deliveries
                .Where(d => (filter.Purpose == null || d.Purpose == filter.Purpose) && (filter.Before == null || d.SentAt < filter.Before))
                .OrderByDescending(d => d.SentAt).Take(PageSize)
                .Select(d => new DeliveryRow(d.SentAt, d.Purpose, d.Recipient, d.Subject, 1 + db.DeliveryFailures.Count(f => f.Key == d.Key), true, null))
                .ToListAsync(ct));
        // Not sent (yet): each email once, as its last failed attempt left it.
        if (filter.Status != "sent")
            rows.AddRange(await db.DeliveryFailures
                .Where(f => (filter.Purpose == null || f.Purpose == filter.Purpose) && (filter.Before == null || f.At < filter.Before)
                    && !db.Deliveries.Any(d => d.Key == f.Key) && !db.DeliveryFailures.Any(later => later.Key == f.Key && later.Id > f.Id))
                .OrderByDescending(f => f.At).Take(PageSize)
                .Select(f => new DeliveryRow(f.At, f.Purpose, f.Recipient, f.Subject, db.DeliveryFailures.Count(o => o.Key == f.Key), false, f.Reason, f.Final))
                .ToListAsync(ct));
        return rows.OrderByDescending(r => r.At).Take(PageSize).ToList();
    }
}
