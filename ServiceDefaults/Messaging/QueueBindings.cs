using System.Collections.Concurrent;
using MassTransit;
using MassTransit.Configuration;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Harbour.ServiceDefaults.Messaging;

// Binds each of this service's queues to the exchanges of the messages it consumes, in place of MassTransit's consume
// topology (switched off on every endpoint: Messaging.cs). MassTransit declares a consumed message's exchange before it binds
// to it, and declaring needs RabbitMQ's configure permission, which also lets its holder delete the exchange from under every
// other consumer. Binding an exchange to one's own needs only read on the first and write on the second, so a service's broker
// user (AppHost/BrokerUsers.cs) holds no configure permission on any exchange but its own and those of the messages it
// publishes. The AppHost declares every message's exchange before the services start.
//
// What each queue consumes is learnt as MassTransit configures its consumers (Recorder: consumers only, which is all Harbour
// registers; a saga or a handler would need the same); the bindings are made when the endpoint is ready, again after every
// reconnection (each is idempotent), and the service reports itself unready (QueueHealthCheck) until they are. An exchange
// that is not there yet (a broker without the AppHost in front of it: the tests, a developer's own broker) is declared, as
// MassTransit would, if the user may; otherwise the refusal is logged, the endpoint stays unready and the binding is tried
// again every 10 seconds. An exchange deleted later (only its publisher may) takes its bindings with it, unnoticed until it
// is declared again (by the AppHost, or the publisher's next start) and the consumer then reconnects or restarts.
public sealed class QueueBindings(ServiceQueues queues, ILogger log) : IReceiveEndpointObserver
{
    // A recorder for one endpoint's consumers: each message type's exchange, named as MassTransit names it.
    public static IConsumerConfigurationObserver Recorder(ServiceQueues queues, string queue, IMessageTopologyConfigurator topology) =>
        new ConsumedMessages(queues, queue, topology);

    readonly ConcurrentDictionary<string, CancellationTokenSource> retries = new();

    public async Task Ready(ReceiveEndpointReady ready)
    {
        var queue = QueueOf(ready.InputAddress);
        var exchanges = queues.ExchangesOf(queue);
        if (exchanges.Count == 0) return;
        queues.Unbound(queue);
        StopRetrying(queue);
        if (await TryBindAsync(queue, exchanges)) return;
        // Tried again every 10 s until it binds (the exchange declared meanwhile, the permission put right) or the endpoint stops.
        var stop = retries[queue] = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && !await TryBindAsync(queue, exchanges))
                await Task.Delay(TimeSpan.FromSeconds(10), stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        });
    }

    async Task<bool> TryBindAsync(string queue, IReadOnlyCollection<string> exchanges)
    {
        try
        {
            await using var connection = await queues.ConnectAsync("bindings");
            foreach (var exchange in exchanges)
                await BindAsync(connection, queue, exchange);
            queues.Bound(queue);
            return true;
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Queue {Queue} could not be bound to the exchanges of the messages it consumes ({Exchanges})", queue, exchanges);
            return false;
        }
    }

    static string QueueOf(Uri inputAddress) => inputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";

    void StopRetrying(string queue)
    {
        if (retries.TryRemove(queue, out var stop)) stop.Cancel();
    }

    // Into the queue's own exchange (MassTransit's layout: each queue has a fanout exchange of its name in front of it).
    static async Task BindAsync(IConnection connection, string queue, string exchange)
    {
        try
        {
            await using var channel = await connection.CreateChannelAsync();
            await channel.ExchangeBindAsync(queue, exchange, "");
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            // The refusal closed that channel.
            await using var channel = await connection.CreateChannelAsync();
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.ExchangeBindAsync(queue, exchange, "");
        }
    }

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;
    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

    public Task Stopping(ReceiveEndpointStopping stopping)
    {
        StopRetrying(QueueOf(stopping.InputAddress));
        return Task.CompletedTask;
    }

    sealed class ConsumedMessages(ServiceQueues queues, string queue, IMessageTopologyConfigurator topology) : IConsumerConfigurationObserver
    {
        public void ConsumerConfigured<TConsumer>(IConsumerConfigurator<TConsumer> configurator) where TConsumer : class { }

        public void ConsumerMessageConfigured<TConsumer, TMessage>(IConsumerMessageConfigurator<TConsumer, TMessage> configurator)
            where TConsumer : class where TMessage : class =>
            queues.Consumes(queue, topology.GetMessageTopology<TMessage>().EntityName);
    }
}
