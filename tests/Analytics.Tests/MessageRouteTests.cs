namespace Harbour.Analytics.Tests;

// Every message type analytics' consumers take names analytics as a consumer, the only routes the broker lets it use
// (Contracts/MessageRoutes.cs); analytics publishes nothing (it has no outbox), and no other type names it.
public sealed class MessageRouteTests(AnalyticsFactory analytics) : IClassFixture<AnalyticsFactory>
{
    [Fact]
    public void EveryMessageThisServicePublishesOrConsumesNamesItAndNoOtherDoes() =>
        MessageRoutes.ProblemsOf(Harbour.Contracts.ServiceNames.Analytics, [], MessageRoutes.ConsumedTypesOf(analytics.Services)).ShouldBeEmpty();
}
