using System.Net.Security;
using System.Reflection;
using System.Security.Authentication;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Messaging;
using MassTransit;
using MassTransit.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

public static class Messaging
{
    // MassTransit over RabbitMQ from ConnectionStrings:messaging. Queues are durable, publishes are
    // confirmed by the broker, failures are retried with backoff and then moved to the queue's _error twin
    // (without a published fault, unless the message's contract asks for one).
    public static IHostApplicationBuilder AddMessaging(this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator>? configure = null)
    {
        var connectionString = builder.Configuration.GetConnectionString("messaging")
            ?? throw new InvalidOperationException("ConnectionStrings:messaging is not set.");
        var options = builder.Configuration.GetSection("Messaging");
        var service = builder.Environment.ApplicationName.ToLowerInvariant();
        var queues = new ServiceQueues(new Uri(connectionString));

        builder.Services.AddSingleton(queues);
        builder.Services.AddSingleton<QueueHealthCheck>();
        builder.Services.AddHealthChecks().AddCheck<QueueHealthCheck>("queues");
        IMessageTopologyConfigurator? topology = null;
        builder.Services.AddMassTransit(bus =>
        {
            // MassTransit would otherwise report how the bus is used to its makers: nothing leaves Harbour unasked.
            bus.DisableUsageTelemetry();
            // Two services may both consume ReportSubmitted: each needs its own queue.
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(service, includeNamespace: false));
            bus.AddConfigureEndpointsCallback((name, endpoint) =>
            {
                queues.Add(name);
                // Bound to the messages it consumes by QueueBindings, not by MassTransit, which would declare their exchanges
                // and so need the broker's permission to delete them too.
                if (endpoint is IRabbitMqReceiveEndpointConfigurator consumeTopology) consumeTopology.ConfigureConsumeTopology = false;
                endpoint.ConnectConsumerConfigurationObserver(QueueBindings.Recorder(queues, name, topology!));
                // A message given up on stays in the queue's _error twin; no Fault<T> carrying it is published, because
                // the broker lets no service read or write MassTransit's fault exchanges. A consumer whose message names a
                // fault consumer ([FaultConsumedBy], Contracts/MessageRoutes.cs) turns it back on in its definition.
                endpoint.PublishFaults = false;
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit && options.GetValue("QuorumQueues", false))
                {
                    // Replicated queues for a clustered broker; a message redelivered past the limit (a consumer
                    // that crashes on it every time) is dead-lettered instead of looping for ever.
                    rabbit.SetQuorumQueue();
                    rabbit.SetQueueArgument("x-delivery-limit", options.GetValue("DeliveryLimit", 10));
                    rabbit.BindDeadLetterQueue($"{name}_dead", $"{name}_dead");
                }
            });
            bus.AddReceiveEndpointObserver(provider => new QueueBindings(queues, provider.GetRequiredService<ILogger<QueueBindings>>()));
            configure?.Invoke(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var broker = new Uri(connectionString);
                rabbit.Host(broker, host =>
                {
                    host.PublisherConfirmation = options.GetValue("PublisherConfirms", true);
                    // amqps: TLS 1.2 or 1.3, and the broker's certificate checked against the trusted authorities and its
                    // name (MassTransit alone would accept a certificate no trusted authority issued).
                    if (broker.Scheme is "amqps" or "rabbitmqs")
                        host.UseSsl(ssl =>
                        {
                            ssl.Protocol = SslProtocols.Tls12 | SslProtocols.Tls13;
                            ssl.EnforcePolicyErrors(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch
                                | SslPolicyErrors.RemoteCertificateNotAvailable);
                        });
                });
                rabbit.PrefetchCount = options.GetValue("PrefetchCount", 16);
                // A publisher only writes to its messages' exchanges, which the AppHost declares (AppHost/BrokerUsers.cs):
                // MassTransit would declare them first, which needs the broker's configure permission, and that permission
                // is also the power to delete the exchange from under every consumer. Their faults' exchanges follow.
                foreach (var message in typeof(ServiceNames).Assembly.GetExportedTypes().Where(t => t.GetCustomAttribute<PublishedByAttribute>() is not null))
                    rabbit.PublishTopology.GetMessageTopology(message).Exclude = true;
                topology = rabbit.MessageTopology;
                // No fault or answer goes where a message says it should (WithoutReplyAddresses.cs).
                rabbit.UseConsumeFilter(typeof(WithoutReplyAddresses<>), context);
                rabbit.UseMessageRetry(retry => retry.Exponential(
                    options.GetValue("RetryLimit", 5),
                    options.GetValue("RetryMinInterval", TimeSpan.FromMilliseconds(200)),
                    options.GetValue("RetryMaxInterval", TimeSpan.FromSeconds(30)),
                    options.GetValue("RetryDelta", TimeSpan.FromSeconds(1))));
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }
}
