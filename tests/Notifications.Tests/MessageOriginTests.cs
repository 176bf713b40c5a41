namespace Harbour.Notifications.Tests;

// Every message type notifications puts in its outbox names notifications as its publisher, the one service the broker lets write it
// (Contracts/PublishedBy.cs); no other type does.
public sealed class MessageOriginTests
{
    [Fact]
    public void EveryMessageThisServicePublishesNamesItAndNoOtherDoes() =>
        MessageOrigins.ProblemsOf(typeof(Program).Assembly, Harbour.Contracts.Publishers.Notifications).ShouldBeEmpty();
}
