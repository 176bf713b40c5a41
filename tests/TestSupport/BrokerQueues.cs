using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Harbour.Testing;

// Looking at the broker directly, as its administrator: how many messages wait in a queue, and a trap that catches whatever is
// sent or published to an exchange.
public static class BrokerQueues
{
    // Messages waiting in the queue; 0 when there is no such queue.
    public static async Task<uint> CountAsync(this IConnection connection, string queue)
    {
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }

    // A queue of its own bound to the exchange, which is declared as MassTransit declares the exchanges it sends and publishes
    // to (fanout, durable), so that anything MassTransit sent there would arrive. Returns the queue's name.
    public static async Task<string> TrapAsync(this IConnection connection, string exchange)
    {
        var queue = $"trap-{Guid.NewGuid():N}";
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(queue, exchange, "");
        return queue;
    }
}
