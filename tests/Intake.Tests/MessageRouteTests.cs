namespace Harbour.Intake.Tests;

// Every message type intake puts in its outbox, and every one its consumers take, names intake as its publisher or consumer,
// the only routes the broker lets it use (Contracts/MessageRoutes.cs); no other type names it.
public sealed class MessageRouteTests(IntakeFactory intake) : IClassFixture<IntakeFactory>
{
    [Fact]
    public void EveryMessageThisServicePublishesOrConsumesNamesItAndNoOtherDoes() =>
        MessageRoutes.ProblemsOf(Harbour.Contracts.ServiceNames.Intake, MessageRoutes.OutboxTypesOf(typeof(Program).Assembly), MessageRoutes.ConsumedTypesOf(intake.Services)).ShouldBeEmpty();
}
