using System.Net;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;

namespace Harbour.Notifications.Tests;

// The other staff-facing service refuses a session cases ended (signed out, disabled, roles changed) at once, as analytics does.
public sealed class EndedSessionTests(NotificationsFactory notifications) : IClassFixture<NotificationsFactory>
{
    [Fact]
    public async Task ATokenWhoseSessionCasesEndedIsRefused()
    {
        var session = Guid.NewGuid();
        var admin = notifications.SignedIn(StaffRoles.Admin, session);
        (await admin.GetAsync("/notifications/deliveries")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await notifications.PublishAsync(new StaffSessionEnded(session, "signed out", DateTimeOffset.UtcNow));

        await Eventually.GetAsync(async () => (await admin.GetAsync("/notifications/deliveries")).StatusCode, s => s != HttpStatusCode.OK,
            "the ended session's token to be refused");
        (await notifications.SignedIn(StaffRoles.Admin).GetAsync("/notifications/deliveries")).StatusCode.ShouldBe(HttpStatusCode.OK, "other sessions go on");
    }
}
