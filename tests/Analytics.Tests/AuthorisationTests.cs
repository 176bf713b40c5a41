using Harbour.ServiceDefaults.Security;

namespace Harbour.Analytics.Tests;

// Every endpoint analytics maps, called as an anonymous visitor and as each staff role. A new endpoint without a row here fails.
public sealed class AuthorisationTests(AnalyticsFactory analytics) : IClassFixture<AnalyticsFactory>
{
    static readonly Dictionary<string, Access> Expected = new()
    {
        ["GET /alive"] = Access.Public,
        ["GET /health"] = Access.Public,
        ["GET /api/analytics/summary"] = new(StaffRoles.Admin, StaffRoles.CaseManager, StaffRoles.Analyst),
    };

    [Fact]
    public void EveryEndpointHasItsRule() =>
        AuthorisationMatrix.EndpointsOf(analytics.Services).ShouldBe(Expected.Keys.Order().ToList(), ignoreOrder: false);

    [Fact]
    public async Task EachCallerGetsWhatItsRoleAllowsAndNothingMore() =>
        (await AuthorisationMatrix.DisagreementsAsync(analytics.CreateClient(), role => analytics.Services.AsRole(analytics.CreateClient(), role),
            Expected, new Dictionary<string, string>())).ShouldBeEmpty();
}
