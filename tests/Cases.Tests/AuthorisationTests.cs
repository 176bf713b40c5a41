using Harbour.ServiceDefaults.Security;

namespace Harbour.Cases.Tests;

// Every endpoint cases maps, called as an anonymous visitor and as each staff role. A new endpoint without a row here fails.
public sealed class AuthorisationTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    static readonly Access CaseWork = new(StaffRoles.Admin, StaffRoles.CaseManager);
    static readonly Access Administration = new(StaffRoles.Admin);
    static readonly Access EveryRole = new(StaffRoles.All);

    static readonly Dictionary<string, Access> Expected = new()
    {
        ["GET /alive"] = Access.Public,
        ["GET /health"] = Access.Public,
        // The staff problem page, shown again for a failed request; opened directly it is not a page (404).
        ["GET /staff/problem"] = Access.Public,
        ["POST /staff/problem"] = Access.Public,
        ["GET /cases/sign-in"] = Access.Public,
        ["GET /cases/.well-known/openid-configuration"] = Access.Public,
        ["GET /cases/.well-known/jwks"] = Access.Public,
        // Off to the university's provider when single sign-on is on; here it is off, so back to the sign-in page.
        ["GET /cases/sign-in/sso"] = Access.SignInStep,
        ["POST /cases/sign-in"] = Access.Public,
        // Anyone may end their own session (without one, it only clears the cookie); everyone lands back on the sign-in page.
        ["POST /cases/sign-out"] = Access.SignInStep,
        // Everyone signed in changes their own passphrase, and only their own.
        ["GET /cases/passphrase"] = EveryRole,
        ["POST /cases/passphrase"] = EveryRole,
        // Everyone signed in confirms their own second factor again, for the work that asks for a recent one.
        ["GET /cases/confirm"] = EveryRole,
        ["POST /cases/confirm"] = EveryRole,
        // Without the passphrase checked on this browser: back to the start (a post without its form's token is refused first).
        ["GET /cases/sign-in/enrol"] = Access.SignInStep,
        ["POST /cases/sign-in/enrol"] = Access.Public,
        ["GET /cases/sign-in/code"] = Access.SignInStep,
        ["POST /cases/sign-in/code"] = Access.Public,
        ["GET /cases"] = CaseWork,
        ["POST /cases"] = CaseWork,
        ["GET /cases/{reference}"] = CaseWork,
        ["POST /cases/{reference}"] = CaseWork,
        ["GET /api/cases"] = CaseWork,
        ["GET /api/cases/my-work"] = CaseWork,
        ["GET /cases/my-work"] = CaseWork,
        ["POST /cases/my-work"] = CaseWork,
        ["GET /api/cases/{reference}"] = CaseWork,
        ["POST /api/cases/{reference}/messages"] = CaseWork,
        ["POST /api/cases/{reference}/status"] = CaseWork,
        ["POST /api/cases/{reference}/involvements"] = CaseWork,
        // Admins only, by the case's own check: anyone else gets 404, as for no such case (NeedToKnowTests).
        ["POST /api/cases/{reference}/involvements/{userId}/removal"] = CaseWork,
        ["POST /api/cases/{reference}/assignment"] = CaseWork,
        ["POST /api/cases/{reference}/steps/{step}"] = CaseWork,
        ["POST /api/cases/{reference}/notes"] = CaseWork,
        ["POST /api/cases/{reference}/notes/{id:guid}/corrections"] = CaseWork,
        ["POST /api/cases/{reference}/closure"] = CaseWork,
        ["POST /api/cases/{reference}/reopening"] = CaseWork,
        ["POST /api/cases/{reference}/checklist/{action}"] = CaseWork,
        ["POST /api/cases/{reference}/tasks"] = CaseWork,
        ["POST /api/cases/{reference}/tasks/{id:guid}/done"] = CaseWork,
        ["PUT /api/cases/{reference}/tags"] = CaseWork,
        ["GET /api/cases/{reference}/evidence/{id:guid}"] = CaseWork,
        ["GET /cases/{reference}/departments"] = CaseWork,
        ["POST /cases/{reference}/departments"] = CaseWork,
        ["GET /api/cases/{reference}/alerts/draft"] = CaseWork,
        ["POST /api/cases/{reference}/alerts/preview"] = CaseWork,
        ["POST /api/cases/{reference}/alerts"] = CaseWork,
        ["GET /api/cases/{reference}/support"] = CaseWork,
        ["POST /api/cases/{reference}/referrals"] = CaseWork,
        ["POST /api/cases/{reference}/referrals/{id:guid}/uptake"] = CaseWork,
        ["POST /api/cases/{reference}/meetings"] = CaseWork,
        ["GET /cases/{reference}/legal"] = CaseWork,
        ["GET /cases/disclosures/{id:guid?}"] = CaseWork,
        ["POST /cases/disclosures/{id:guid?}"] = CaseWork,
        ["POST /api/cases/disclosures"] = CaseWork,
        ["GET /api/cases/disclosures/{id:guid}"] = CaseWork,
        ["POST /cases/{reference}/legal"] = CaseWork,
        ["GET /api/cases/{reference}/legal-advice"] = CaseWork,
        // Only for those responsible for the case (else not found, like a case they cannot see).
        ["GET /cases/{reference}/redact"] = CaseWork,
        ["POST /cases/{reference}/redact"] = CaseWork,
        ["POST /api/cases/{reference}/redactions"] = CaseWork,
        // Audited as a print.
        ["GET /cases/{reference}/print"] = CaseWork,
        ["POST /cases/{reference}/print"] = CaseWork,
        ["POST /api/cases/{reference}/legal-advice"] = CaseWork,
        ["POST /api/cases/{reference}/meetings/{id:guid}/cancellation"] = CaseWork,
        ["POST /api/cases/{reference}/meetings/{id:guid}/record"] = CaseWork,
        ["GET /cases/profile"] = Administration,
        ["POST /cases/profile"] = Administration,
        ["GET /cases/profile/{section}"] = Administration,
        ["POST /cases/profile/{section}"] = Administration,
        ["GET /api/profile"] = Administration,
        ["PUT /api/profile"] = Administration,
        ["GET /api/profile/versions"] = Administration,
        ["GET /api/profile/versions/{version:int}"] = Administration,
        ["GET /cases/invitation/{token}"] = Access.Public,
        ["POST /cases/invitation/{token}"] = Access.Public,
        // A forgotten passphrase: anyone may ask for a link, and whoever holds the emailed link chooses the new passphrase.
        ["GET /cases/passphrase/forgotten"] = Access.Public,
        ["POST /cases/passphrase/forgotten"] = Access.Public,
        ["GET /cases/passphrase/reset/{token}"] = Access.Public,
        ["POST /cases/passphrase/reset/{token}"] = Access.Public,
        ["GET /cases/staff"] = Administration,
        ["POST /cases/staff"] = Administration,
        ["GET /cases/staff/{id}"] = Administration,
        ["POST /cases/staff/{id}"] = Administration,
        ["GET /api/staff"] = Administration,
        ["POST /api/staff/invitations"] = Administration,
        ["PUT /api/staff/{id}"] = Administration,
        ["POST /api/staff/{id}/disable"] = Administration,
        ["POST /api/staff/{id}/enable"] = Administration,
        ["POST /api/staff/{id}/reset-second-factor"] = Administration,
        ["GET /cases/audit"] = Administration,
        ["POST /cases/audit"] = Administration,
        ["GET /cases/retention"] = Administration,
        ["POST /cases/retention"] = Administration,
        ["GET /cases/subject-access"] = Administration,
        ["POST /cases/subject-access"] = Administration,
    };

    [Fact]
    public void EveryEndpointHasItsRule() =>
        AuthorisationMatrix.EndpointsOf(cases.Services).ShouldBe(Expected.Keys.Order().ToList(), ignoreOrder: false);

    [Fact]
    public async Task EachCallerGetsWhatItsRoleAllowsAndNothingMore()
    {
        var report = cases.Report("Pushed against the wall in the corridor.");
        await cases.PublishAsync(report);
        var admin = await cases.SignedInAdminAsync();
        await Eventually.GetAsync(() => admin.GetAsync($"/api/cases/{report.Reference}"), r => r.IsSuccessStatusCode, "the case to open");

        var problems = await AuthorisationMatrix.DisagreementsAsync(cases.Browser(), role => cases.Services.AsRole(cases.Browser(), role, cases.StartSession($"test-{role}")), Expected,
            new Dictionary<string, string>
            {
                ["{reference}"] = report.Reference, ["{id:guid}"] = Guid.NewGuid().ToString(), ["{id:guid?}"] = Guid.NewGuid().ToString(), ["{version:int}"] = "1", ["{section}"] = "categories",
                ["{token}"] = "not-an-invitation", ["{step}"] = "triage", ["{action}"] = "race:0", ["{id}"] = Guid.NewGuid().ToString(),
                ["{userId}"] = Guid.NewGuid().ToString(),
            });

        problems.ShouldBeEmpty();
    }
}
