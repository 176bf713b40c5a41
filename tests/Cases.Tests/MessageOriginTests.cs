namespace Harbour.Cases.Tests;

// Every message type cases puts in its outbox names cases as its publisher, the one service the broker lets write it
// (Contracts/PublishedBy.cs); no other type does.
public sealed class MessageOriginTests
{
    [Fact]
    public void EveryMessageThisServicePublishesNamesItAndNoOtherDoes() =>
        MessageOrigins.ProblemsOf(typeof(Program).Assembly, Harbour.Contracts.Publishers.Cases).ShouldBeEmpty();
}
