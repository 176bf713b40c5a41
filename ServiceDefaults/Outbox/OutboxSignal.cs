using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Harbour.ServiceDefaults.Outbox;

// Wakes the dispatcher as soon as a unit of work that wrote outbox rows is saved, so that it need not poll to be quick; inside
// an explicit transaction, once it commits (woken at the save, the dispatcher would find nothing yet and sleep a whole poll).
// (Rows written by another replica are found by the dispatcher's rare fallback poll.)
public sealed class OutboxSignal<TContext> : SaveChangesInterceptor, IDbTransactionInterceptor where TContext : DbContext
{
    readonly SemaphoreSlim wake = new(0, 1);

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context?.Database.CurrentTransaction is null && HasUnsent(eventData.Context)) Wake();
        return ValueTask.FromResult(result);
    }

    public Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        if (HasUnsent(eventData.Context)) Wake();
        return Task.CompletedTask;
    }

    public void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (HasUnsent(eventData.Context)) Wake();
    }

    static bool HasUnsent(DbContext? context) => context?.ChangeTracker.Entries<OutboxMessage>().Any(e => e.Entity.SentAt == null) == true;

    public void Wake()
    {
        // One pending wake is enough: the dispatcher drains every unsent row when it wakes.
        if (wake.CurrentCount == 0)
            try { wake.Release(); } catch (SemaphoreFullException) { }
    }

    // True when woken, false when the time ran out.
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => wake.WaitAsync(timeout, cancellationToken);
}
