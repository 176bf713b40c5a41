namespace Harbour.Intake.Tests;

// Every message type intake puts in its outbox names intake as its publisher, the one service the broker lets write it
// (Contracts/PublishedBy.cs); no other type does.
public sealed class MessageOriginTests
{
    [Fact]
    public void EveryMessageThisServicePublishesNamesItAndNoOtherDoes() =>
        MessageOrigins.ProblemsOf(typeof(Program).Assembly, Harbour.Contracts.Publishers.Intake).ShouldBeEmpty();
}
