using Harbour.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Harbour.ServiceDefaults.Messaging;

// Publishes what the service committed to its outbox, oldest first, and marks each row sent once the
// broker has confirmed it. While the broker is away rows wait; they go out when it returns.
public sealed class OutboxDispatcher<TContext>(
    IServiceScopeFactory scopes, IBus bus, IConfiguration configuration, TimeProvider clock,
    ILogger<OutboxDispatcher<TContext>> log) : BackgroundService where TContext : DbContext
{
    readonly TimeSpan pollInterval = configuration.GetValue("Outbox:PollInterval", TimeSpan.FromMilliseconds(500));
    readonly TimeSpan publishTimeout = configuration.GetValue("Outbox:PublishTimeout", TimeSpan.FromSeconds(10));
    readonly int batchSize = configuration.GetValue("Outbox:BatchSize", 50);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = pollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var sent = await DispatchBatchAsync(stoppingToken);
                backoff = pollInterval;
                if (sent == batchSize) continue;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                log.LogWarning(ex, "Outbox dispatch failed; retrying in {Backoff}", backoff);
            }
            await Task.Delay(backoff, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    async Task<int> DispatchBatchAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var batch = await db.Set<OutboxMessage>()
            .Where(m => m.SentAt == null)
            .OrderBy(m => m.Id)
            .Take(batchSize)
            .ToListAsync(stoppingToken);

        foreach (var message in batch)
        {
            var type = typeof(ReportSubmitted).Assembly.GetType(message.Type)
                ?? throw new InvalidOperationException($"Outbox message {message.Id} has unknown type {message.Type}.");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(publishTimeout);
            await bus.Publish(message.Deserialize(type), type,
                context => context.MessageId = message.MessageId, timeout.Token);

            // One row at a time: a crash between publish and save repeats one message, which consumers ignore.
            message.MarkSent(clock);
            await db.SaveChangesAsync(stoppingToken);
        }
        return batch.Count;
    }
}

public static class OutboxRegistration
{
    public static IServiceCollection AddOutboxDispatcher<TContext>(this IServiceCollection services)
        where TContext : DbContext
    {
        services.AddHostedService<OutboxDispatcher<TContext>>();
        services.AddHealthChecks().AddCheck<OutboxHealthCheck<TContext>>("outbox");
        return services;
    }
}
