namespace Harbour.Cases.Tests;

// Every message type cases puts in its outbox, and every one its consumers take, names cases as its publisher or consumer,
// the only routes the broker lets it use (Contracts/MessageRoutes.cs); no other type names it.
public sealed class MessageRouteTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    [Fact]
    public void EveryMessageThisServicePublishesOrConsumesNamesItAndNoOtherDoes() =>
        MessageRoutes.ProblemsOf(Harbour.Contracts.ServiceNames.Cases, MessageRoutes.OutboxTypesOf(typeof(Program).Assembly), MessageRoutes.ConsumedTypesOf(cases.Services)).ShouldBeEmpty();
}
