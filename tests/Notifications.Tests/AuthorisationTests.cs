using Harbour.ServiceDefaults.Security;

namespace Harbour.Notifications.Tests;

// Every endpoint notifications maps, called as an anonymous visitor and as each staff role. A new endpoint without a row here fails.
public sealed class AuthorisationTests(NotificationsFactory notifications) : IClassFixture<NotificationsFactory>
{
    static readonly Access Administration = new(StaffRoles.Admin);

    static readonly Dictionary<string, Access> Expected = new()
    {
        ["GET /alive"] = Access.Public,
        ["GET /health"] = Access.Public,
        // The staff problem page, shown again for a failed request; opened directly it is not a page (404).
        ["GET /staff/problem"] = Access.Public,
        ["POST /staff/problem"] = Access.Public,
        // A department's acknowledge link needs no account: the token is the key.
        ["GET /acknowledge/{**token}"] = Access.Public,
        ["POST /acknowledge/{**token}"] = Access.Public,
        ["GET /notifications/deliveries"] = Administration,
        ["GET /notifications/subject-access"] = Administration,
        ["POST /notifications/subject-access"] = Administration,
        ["POST /notifications/deliveries"] = Administration,
        ["GET /notifications/templates"] = Administration,
        ["POST /notifications/templates"] = Administration,
        ["GET /notifications/templates/{purpose}"] = Administration,
        ["POST /notifications/templates/{purpose}"] = Administration,
    };

    [Fact]
    public void EveryEndpointHasItsRule() =>
        AuthorisationMatrix.EndpointsOf(notifications.Services).ShouldBe(Expected.Keys.Order().ToList(), ignoreOrder: false);

    [Fact]
    public async Task EachCallerGetsWhatItsRoleAllowsAndNothingMore() =>
        (await AuthorisationMatrix.DisagreementsAsync(notifications.CreateClient(new() { AllowAutoRedirect = false }),
            role => notifications.Services.AsRole(notifications.CreateClient(new() { AllowAutoRedirect = false }), role), Expected,
            new Dictionary<string, string> { ["{**token}"] = "not-a-token", ["{purpose}"] = "staff-invited" })).ShouldBeEmpty();
}
