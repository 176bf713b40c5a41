using Harbour.ServiceDefaults.Security;
using System.Net;
using System.Text;

namespace Harbour.Cases.Tests;

// A member of staff never meets raw JSON or a bare error in the browser: a page in the staff layout with the right
// status. The API keeps answering ProblemDetails.
public sealed class StaffErrorPageTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    [Fact]
    public async Task AFormThatCannotBeReadIsAPageSayingSoNotAServerError()
    {
        var admin = await cases.SignedInAdminAsync();
        var fields = string.Join("&", Enumerable.Range(0, 1100).Select(i => $"f{i}=x"));

        var response = await admin.PostAsync("/cases/profile?handler=Name", new StringContent(fields, Encoding.UTF8, "application/x-www-form-urlencoded"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var page = await response.Content.ReadAsStringAsync();
        page.ShouldContain("<h1>What was sent could not be read</h1>");
        page.ShouldContain("Harbour case management");
    }

    [Fact]
    public async Task AnAddressWithNothingThereIsAPageInTheStaffLayout()
    {
        var admin = await cases.SignedInAdminAsync();

        var response = await admin.GetAsync("/cases/no/such/page");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await response.Content.ReadAsStringAsync()).ShouldContain("<h1>There is no page here</h1>");
        var missingCase = await admin.GetAsync("/cases/HR-2099-999999");
        missingCase.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        missingCase.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await admin.GetAsync("/staff/problem")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "opened directly, it is not a page");
    }

    [Fact]
    public async Task AnAnalystWhoLandsOnTheQueueIsPointedToTheFigures()
    {
        var (analyst, _) = await cases.SignedInStaffAsync(StaffRoles.Analyst);

        var response = await analyst.GetAsync("/cases");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var page = await response.Content.ReadAsStringAsync();
        page.ShouldContain("<a href=\"/analytics\">Go to the figures</a>");
        page.ShouldNotContain("Go to the case queue");
    }

    [Fact]
    public async Task TheApiStillAnswersProblemDetails()
    {
        var admin = await cases.SignedInAdminAsync();

        var response = await admin.GetAsync("/api/cases/HR-2099-999999");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.ShouldNotBe("text/html");
    }
}
