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
        await using var broker = await new ConnectionFactory { Uri = new Uri(notifications.Settings["ConnectionStrings:messaging"]!) }.CreateConnectionAsync();
        var exchange = $"reply-trap-{Guid.NewGuid():N}";
        var trap = await broker.TrapAsync(exchange);
        const string errors = "notifications-staff-invited_error";
        var before = await broker.CountAsync(errors);

        // An invitation whose secret no key opens: the consumer fails on it every time.
        StaffInvited Unopenable() => new(Guid.NewGuid(), "someone@harbour.test", "Someone", "v2.00000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", DateTimeOffset.UtcNow.AddDays(7));
        var bus = notifications.Services.GetRequiredService<IBus>();
        await bus.Publish(Unopenable(), context => context.FaultAddress = new Uri($"exchange:{exchange}"));
        await bus.Publish(Unopenable(), context => context.ResponseAddress = new Uri($"exchange:{exchange}"));

        await Eventually.GetAsync(() => broker.CountAsync(errors), count => count >= before + 2, "both invitations in the error queue", seconds: 60);
        (await broker.CountAsync(trap)).ShouldBe(0u, "no fault carrying the message went where the message said");
    }
}
