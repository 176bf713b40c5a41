namespace Harbour.Notifications.Tests;

// Every message type notifications puts in its outbox, and every one its consumers take, names notifications as its publisher or consumer,
// the only routes the broker lets it use (Contracts/MessageRoutes.cs); no other type names it.
public sealed class MessageRouteTests(NotificationsFactory notifications) : IClassFixture<NotificationsFactory>
{
    [Fact]
    public void EveryMessageThisServicePublishesOrConsumesNamesItAndNoOtherDoes() =>
        MessageRoutes.ProblemsOf(Harbour.Contracts.ServiceNames.Notifications, MessageRoutes.OutboxTypesOf(typeof(Program).Assembly), MessageRoutes.ConsumedTypesOf(notifications.Services)).ShouldBeEmpty();
}
