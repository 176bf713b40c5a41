using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Cases.Tests;

public sealed class StaffAccessTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    [Fact]
    public async Task CasesApiRefusesAnAnonymousCaller()
    {
        var response = await cases.Browser().GetAsync("/api/cases");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task CaseListSendsAnAnonymousVisitorToSignIn()
    {
        var response = await cases.Browser().GetAsync("/cases");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldBe("/cases/sign-in?returnUrl=%2Fcases");
    }

    [Fact]
    public async Task WrongPasswordIsRefusedWithoutSayingWhichPartWasWrong()
    {
        var browser = cases.Browser();

        var response = await StaffSignIn.SignInAsync(browser, cases.AdminEmail, "not the password at all");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("The email address or password is not right.");
        (await browser.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task SignedInAdminSeesTheCaseAndEveryReadIsAudited()
    {
        var report = cases.Report("He blocked the doorway and would not let me leave.");
        await cases.PublishAsync(report);
        var browser = cases.Browser();

        var signIn = await StaffSignIn.SignInAsync(browser, cases.AdminEmail, CasesFactory.AdminPassword);

        signIn.SignedIn().ShouldBeTrue();
        var list = await Eventually.GetAsync(() => browser.GetFromJsonAsync<JsonElement>("/api/cases"),
            l => l.EnumerateArray().Any(c => c.GetProperty("reference").GetString() == report.Reference), "the case in the list");
        list.ToString().ShouldNotContain("blocked the doorway");

        var page = await browser.GetStringAsync($"/cases/{report.Reference}");
        page.ShouldContain("He blocked the doorway and would not let me leave.");

        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var caseId = (await db.Cases.SingleAsync(c => c.ReportId == report.ReportId)).Id;
        (await db.AuditLog.CountAsync(a => a.CaseId == caseId && a.Action == "case.viewed" && a.Actor.StartsWith("Administrator")))
            .ShouldBe(1);
    }
}
