using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.Security;
using System.Security.Authentication;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Harbour.ServiceDefaults.Messaging;

// The queues this service consumes from, learnt as MassTransit configures its endpoints, with the exchanges of the messages
// each consumes and whether it is bound to them yet (QueueBindings).
public sealed class ServiceQueues(Uri broker)
{
    readonly ConcurrentDictionary<string, long> failed = new();
    readonly ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> exchanges = new();

    public Uri Broker => broker;

    // A connection of this service's own to the broker, for what MassTransit does not do (binding queues, reading their
    // depth), with its user name and password. Over amqps as strict as MassTransit's (Messaging.cs): TLS 1.2 or 1.3, and the
    // certificate must come from a trusted authority and name the host in ConnectionStrings:messaging (RabbitMQ.Client on
    // its own accepts a certificate issued for another name). Throws BrokerUnreachableException when it cannot connect.
    public Task<IConnection> ConnectAsync(string clientName, CancellationToken cancellationToken = default)
    {
        var factory = new ConnectionFactory { Uri = broker, ClientProvidedName = clientName };
        if (factory.Ssl.Enabled)
        {
            factory.Ssl.ServerName = broker.DnsSafeHost;
            factory.Ssl.Version = SslProtocols.Tls12 | SslProtocols.Tls13;
            factory.Ssl.AcceptablePolicyErrors = SslPolicyErrors.None;
        }
        return factory.CreateConnectionAsync(cancellationToken);
    }
    public ICollection<string> Names => failed.Keys;
    public void Add(string queue) => failed.TryAdd(queue, 0);
    internal void Consumes(string queue, string exchange) => exchanges.GetOrAdd(queue, _ => new())[exchange] = false;
    internal IReadOnlyCollection<string> ExchangesOf(string queue) => exchanges.TryGetValue(queue, out var of) ? [.. of.Keys.Order()] : [];
    internal void Bound(string queue) => Mark(queue, true);
    internal void Unbound(string queue) => Mark(queue, false);
    void Mark(string queue, bool bound)
    {
        foreach (var exchange in ExchangesOf(queue)) exchanges[queue][exchange] = bound;
    }
    internal IEnumerable<string> NotBound => exchanges.Where(q => q.Value.Values.Any(bound => !bound)).Select(q => q.Key).Order();
    internal void Failed(string queue, long messages) => failed[queue] = messages;
    internal IEnumerable<Measurement<long>> Measure() =>
        failed.Select(q => new Measurement<long>(q.Value, new KeyValuePair<string, object?>("queue", q.Key + "_error")));
}

// Readiness that sees what MassTransit's own check cannot: a queue the broker says nobody consumes
// (consumers can stop silently after a broker restart), and messages that failed every retry.
public sealed class QueueHealthCheck : IHealthCheck, IAsyncDisposable
{
    public const string MeterName = "Harbour.Messaging";
    static readonly Meter Meter = new(MeterName);
    readonly ServiceQueues queues;
    readonly ILogger<QueueHealthCheck> log;
    readonly SemaphoreSlim gate = new(1, 1);
    IConnection? connection;

    public QueueHealthCheck(ServiceQueues queues, ILogger<QueueHealthCheck> log)
    {
        (this.queues, this.log) = (queues, log);
        Meter.CreateObservableGauge("harbour.messaging.error_queue.messages", queues.Measure,
            description: "Messages that failed every retry and wait in an error queue");
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        if (queues.Names.Count == 0) return HealthCheckResult.Healthy("This service consumes no queue.");
        await gate.WaitAsync(cancellationToken);
        try
        {
            connection ??= await queues.ConnectAsync("health", cancellationToken);
            var data = new Dictionary<string, object>();
            var idle = new List<string>();
            long failedTotal = 0;
            foreach (var queue in queues.Names)
            {
                var (messages, consumers) = await InspectAsync(queue, cancellationToken);
                var (failed, _) = await InspectAsync(queue + "_error", cancellationToken);
                data[queue] = new { messages, consumers };
                data[queue + "_error"] = new { messages = failed };
                queues.Failed(queue, failed);
                failedTotal += failed;
                if (consumers == 0) idle.Add(queue);
            }
            if (failedTotal > 0)
                log.LogWarning("{Count} messages wait in error queues: {Queues}", failedTotal, data.Keys.Where(k => k.EndsWith("_error")));
            if (idle.Count > 0)
                return HealthCheckResult.Unhealthy($"No consumer on {string.Join(", ", idle)}", data: data);
            if (queues.NotBound.ToList() is { Count: > 0 } unbound)
                return HealthCheckResult.Unhealthy($"Not yet bound to the messages they consume: {string.Join(", ", unbound)}", data: data);
            return HealthCheckResult.Healthy(failedTotal == 0 ? "Consuming" : $"Consuming; {failedTotal} messages in error queues", data);
        }
        catch (Exception ex) when (ex is BrokerUnreachableException or AlreadyClosedException or OperationInterruptedException
                                       or IOException or TimeoutException)
        {
            connection = null;
            return HealthCheckResult.Unhealthy("The broker cannot be reached.");
        }
        finally
        {
            gate.Release();
        }
    }

    async Task<(long Messages, long Consumers)> InspectAsync(string queue, CancellationToken cancellationToken)
    {
        // A passive declare fails and closes its channel when the queue does not exist: one channel each.
        await using var channel = await connection!.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            var ok = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            return (ok.MessageCount, ok.ConsumerCount);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return (0, 0);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null) await connection.DisposeAsync();
    }
}
