using Harbour.ServiceDefaults.Security;

namespace Harbour.Analytics.Tests;

// Every endpoint analytics maps, called as an anonymous visitor and as each staff role. A new endpoint without a row here fails.
// Analysts and Admins only: a case manager without the Analyst role is refused the figures as anyone else is.
public sealed class AuthorisationTests(AnalyticsFactory analytics) : IClassFixture<AnalyticsFactory>
{
    static readonly Access Figures = new(StaffRoles.Admin, StaffRoles.Analyst);

    static readonly Dictionary<string, Access> Expected = new()
    {
        ["GET /alive"] = Access.Public,
        ["GET /health"] = Access.Public,
        ["GET /staff/problem"] = Access.Public,
        ["POST /staff/problem"] = Access.Public,
        ["GET /analytics/{section?}"] = Figures,
        ["POST /analytics/{section?}"] = Figures,
        ["GET /analytics/learning"] = Figures,
        ["POST /analytics/learning"] = Figures,
        ["GET /analytics/tables/{table}.csv"] = Figures,
        ["GET /analytics/annual-report"] = Figures,
        ["POST /analytics/annual-report"] = Figures,
        ["GET /analytics/annual-report/download"] = Figures,
        ["POST /analytics/annual-report/download"] = Figures,
        ["GET /api/analytics/figures"] = Figures,
    };

    [Fact]
    public void EveryEndpointHasItsRule() =>
        AuthorisationMatrix.EndpointsOf(analytics.Services).ShouldBe(Expected.Keys.Order().ToList(), ignoreOrder: false);

    [Fact]
    public async Task EachCallerGetsWhatItsRoleAllowsAndNothingMore() =>
        (await AuthorisationMatrix.DisagreementsAsync(analytics.CreateClient(new() { AllowAutoRedirect = false }),
            role => analytics.Services.AsRole(analytics.CreateClient(new() { AllowAutoRedirect = false }), role),
            Expected, new Dictionary<string, string> { ["{table}"] = "categories", ["{section?}"] = "response" })).ShouldBeEmpty();
}
