using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Harbour.ServiceDefaults.Outbox;

// Publishes what the service committed to its outbox, oldest first, and marks each row sent once the broker has confirmed
// it. While the broker is away rows wait; they go out when it returns.
// - Rows are claimed a batch at a time (Outbox:BatchSize, 32) in one transaction with FOR UPDATE SKIP LOCKED: several
//   replicas never publish the same row at once. The batch's messages are published together, so their confirmations
//   are awaited once, not one after another, and the rows confirmed are marked sent in one commit; a crash between
//   publish and commit repeats at most a batch, which consumers ignore (each is idempotent). Messages of one batch may
//   reach the broker in any order, as messages on different queues are consumed in any order anyway.
// - Each publication continues the trace of the request that wrote the row, so a report is one trace from the browser's
//   request to the last consumer. Looking for rows, and finding none, makes no trace at all (Quiet).
// - It wakes when this process writes a row (OutboxSignal) and otherwise polls rarely, for rows other replicas wrote.
// - Sent rows are deleted once they are older than Outbox:KeepSent.
public sealed class OutboxDispatcher<TContext>(
    IServiceScopeFactory scopes, IBus bus, OutboxSignal<TContext> signal, IConfiguration configuration, TimeProvider clock,
    ILogger<OutboxDispatcher<TContext>> log) : BackgroundService where TContext : DbContext
{
    static readonly ActivitySource Source = new(OutboxRegistration.ActivitySourceName);

    readonly TimeSpan pollInterval = configuration.GetValue("Outbox:PollInterval", TimeSpan.FromSeconds(10));
    readonly TimeSpan publishTimeout = configuration.GetValue("Outbox:PublishTimeout", TimeSpan.FromSeconds(10));
    readonly TimeSpan keepSent = configuration.GetValue("Outbox:KeepSent", TimeSpan.FromDays(7));
    readonly int batchSize = configuration.GetValue("Outbox:BatchSize", 32);
    DateTimeOffset nextCleanUp = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = pollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await PublishNextAsync(stoppingToken)) { }
                await DeleteOldSentAsync(stoppingToken);
                wait = pollInterval;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                wait = TimeSpan.FromTicks(Math.Clamp(wait.Ticks * 2, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromSeconds(30).Ticks));
                log.LogWarning(ex, "Outbox dispatch failed; retrying in {Backoff}", wait);
            }
            try { await signal.WaitAsync(wait, stoppingToken); }
            catch (OperationCanceledException) { }
        }
    }

    // Claims the oldest unsent rows no other dispatcher holds (a batch), publishes them and marks those the broker confirmed
    // as sent; false when there were none. A publish that failed fails the call, after the others are marked.
    async Task<bool> PublishNextAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            IDbContextTransaction transaction;
            List<OutboxMessage> batch;
            using (Quiet.Begin())
            {
                transaction = await db.Database.BeginTransactionAsync(ct);
                batch = await db.Set<OutboxMessage>()
                    .FromSql($"SELECT * FROM outbox_messages WHERE sent_at IS NULL ORDER BY id LIMIT {batchSize} FOR UPDATE SKIP LOCKED")
                    .ToListAsync(ct);
                if (batch.Count == 0)
                {
                    await transaction.DisposeAsync();
                    return false;
                }
            }
            await using var claimed = transaction;

            var published = await Task.WhenAll(batch.Select(message => PublishAsync(message, ct)));
            foreach (var message in batch.Where((_, i) => published[i] is null)) message.MarkSent(clock);
            // Once every publish has ended, what the broker confirmed is marked even if the service is stopping (a stop that
            // interrupts a publish leaves the whole batch unsent, to go again at the next start, which consumers ignore);
            // quietly (the trace of each message ended with its publish), and without the rows that failed, whose being
            // saved unsent would wake this dispatcher at once instead of after its back-off.
            using (Quiet.Begin())
            {
                await db.SaveChangesAsync(CancellationToken.None);
                db.ChangeTracker.Clear();
                await claimed.CommitAsync(CancellationToken.None);
            }
            if (published.FirstOrDefault(failure => failure is not null) is { } failed) throw failed;
            return true;
        }, stoppingToken);
    }

    // Publishes one row's message, continuing the trace of the request that wrote it: null once the broker confirmed it,
    // else why not (a row that cannot be read, too, so that it holds back only itself, not the rest of its batch).
    async Task<Exception?> PublishAsync(OutboxMessage message, CancellationToken ct)
    {
        try
        {
            ActivityContext.TryParse(message.TraceParent, null, isRemote: true, out var parent);
            var (body, type) = message.Read();
            using var activity = Source.StartActivity($"outbox {type.Name}", ActivityKind.Internal, parent);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(publishTimeout);
            await bus.Publish(body, type, context => context.MessageId = message.MessageId, timeout.Token);
            return null;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            return ex;
        }
    }

    async Task DeleteOldSentAsync(CancellationToken stoppingToken)
    {
        var now = clock.GetUtcNow();
        if (now < nextCleanUp) return;
        nextCleanUp = now + pollInterval;
        await using var scope = scopes.CreateAsyncScope();
        var cutOff = now - keepSent;
        int deleted;
        using (Quiet.Begin())
            deleted = await scope.ServiceProvider.GetRequiredService<TContext>().Set<OutboxMessage>()
                .Where(m => m.SentAt != null && m.SentAt < cutOff).ExecuteDeleteAsync(stoppingToken);
        if (deleted > 0) log.LogInformation("Deleted {Count} outbox rows sent before {CutOff}", deleted, cutOff);
    }
}

public static class OutboxRegistration
{
    public const string ActivitySourceName = "Harbour.Outbox";

    public static IServiceCollection AddOutboxDispatcher<TContext>(this IServiceCollection services)
        where TContext : DbContext
    {
        services.AddSingleton<OutboxSignal<TContext>>();
        services.ConfigureDbContext<TContext>((provider, options) => options.AddInterceptors(provider.GetRequiredService<OutboxSignal<TContext>>()));
        services.AddHostedService<OutboxDispatcher<TContext>>();
        services.AddHealthChecks().AddCheck<OutboxHealthCheck<TContext>>("outbox");
        return services;
    }
}
