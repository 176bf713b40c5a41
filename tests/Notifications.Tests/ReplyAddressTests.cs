using Harbour.Contracts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace Harbour.Notifications.Tests;

// A message that names a fault or response address gets no fault sent there when its consumer gives up on it
// (ServiceDefaults/Messaging/WithoutReplyAddresses.cs): it waits in its queue's error queue like any other.
public sealed class ReplyAddressTests(NotificationsFactory notifications) : IClassFixture<NotificationsFactory>
{
    [Fact]
    public async Task AFailedMessageIsForwardedNeitherToTheFaultAddressNorToTheResponseAddressItNames()
    {
        var trap = $"reply-trap-{Guid.NewGuid():N}";
        await using var connection = await new ConnectionFactory { Uri = new Uri(notifications.Settings["ConnectionStrings:messaging"]!) }.CreateConnectionAsync();
        await using (var channel = await connection.CreateChannelAsync())
        {
            // As MassTransit declares an exchange it sends to, so that a fault sent there would arrive.
            await channel.ExchangeDeclareAsync(trap, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueDeclareAsync(trap, durable: false, exclusive: false, autoDelete: false);
            await channel.QueueBindAsync(trap, trap, "");
        }
        async Task<uint> CountAsync(string queue)
        {
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
            {
                return 0;
            }
        }
        const string errors = "notifications-staff-invited_error";
        var before = await CountAsync(errors);

        // An invitation whose secret no key opens: the consumer fails on it every time.
        StaffInvited Unopenable() => new(Guid.NewGuid(), "someone@harbour.test", "Someone", "v2.00000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", DateTimeOffset.UtcNow.AddDays(7));
        var bus = notifications.Services.GetRequiredService<IBus>();
        await bus.Publish(Unopenable(), context => context.FaultAddress = new Uri($"exchange:{trap}"));
        await bus.Publish(Unopenable(), context => context.ResponseAddress = new Uri($"exchange:{trap}"));

        await Eventually.GetAsync(() => CountAsync(errors), count => count >= before + 2, "both invitations in the error queue", seconds: 60);
        (await CountAsync(trap)).ShouldBe(0u, "no fault carrying the message went where the message said");
    }
}
