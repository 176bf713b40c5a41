namespace Harbour.Intake.Tests;

// intake is the public door: every endpoint it maps is open to anyone, and none may ask for a staff sign-in. A new endpoint
// without a row here fails.
public sealed class AuthorisationTests(IntakeFactory intake) : IClassFixture<IntakeFactory>
{
    static readonly Dictionary<string, Access> Expected = new[]
    {
        "GET /",
        "GET /alive",
        "GET /api/reports/{reference}",
        "GET /api/reports/{reference}/messages",
        "GET /api/reports/openapi/{documentName}.json",
        "GET /follow-up",
        "GET /follow-up/exit",
        "GET /guidance",
        "GET /guidance/{slug}/{version:int?}",
        "GET /health",
        "GET /problem",
        "GET /report",
        "GET /support",
        "POST /",
        "POST /api/reports",
        "POST /api/reports/{reference}/messages",
        "POST /follow-up",
        "POST /guidance",
        "POST /guidance/{slug}/{version:int?}",
        "POST /problem",
        "POST /report",
        "POST /support",
    }.ToDictionary(endpoint => endpoint, _ => Access.Public);

    [Fact]
    public void EveryEndpointHasItsRule() =>
        AuthorisationMatrix.EndpointsOf(intake.Services).ShouldBe(Expected.Keys.Order().ToList(), ignoreOrder: false);

    [Fact]
    public async Task NoEndpointAsksForAStaffSignInOrFails()
    {
        var (_, reference, _) = await intake.SubmitAsync();

        var problems = await AuthorisationMatrix.DisagreementsAsync(intake.CreateClient(), role => intake.Services.AsRole(intake.CreateClient(), role),
            Expected, new Dictionary<string, string>
            {
                ["{reference}"] = reference, ["{documentName}"] = "v1", ["{slug}"] = "what-happens-next", ["{version:int?}"] = "1",
            });

        problems.ShouldBeEmpty();
    }
}
