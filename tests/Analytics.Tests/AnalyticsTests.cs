using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Harbour.Analytics.Counts;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Analytics.Tests;

public sealed class AnalyticsFactory : ServiceFactory<Program>
{
    public AnalyticsFactory() : base("analyticsdb") { }

    public HttpClient SignedIn(string role)
    {
        var client = CreateClient();
        var token = StaffAuthentication.CreateToken(Services.GetRequiredService<IConfiguration>(), "test-user", "Test Analyst",
            [role], TimeProvider.System);
        client.DefaultRequestHeaders.Add("Cookie", $"{StaffAuthentication.CookieName}={token}");
        return client;
    }
}

public sealed class AnalyticsTests(AnalyticsFactory analytics) : IClassFixture<AnalyticsFactory>
{
    [Fact]
    public async Task SummaryRefusesAnAnonymousCaller()
    {
        var response = await analytics.CreateClient().GetAsync("/api/analytics/summary");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ReportsAreCountedOnceByCategoryKindAndMonthWhateverIsRedelivered()
    {
        var bus = analytics.Services.GetRequiredService<IBus>();
        var first = Reports.Submitted(categories: ["disability", "bullying"]);
        var second = Reports.Submitted(categories: ["disability"]) with { Kind = "named", SubmittedAt = first.SubmittedAt.AddMonths(1) };
        var before = analytics.Consumed.Consumed;

        await Task.WhenAll(bus.Publish(first), bus.Publish(first), bus.Publish(second));
        await analytics.Consumed.WaitForAsync(before + 3, "three deliveries to be consumed");
        await bus.Publish(second);
        await analytics.Consumed.WaitForAsync(before + 4, "a late redelivery to be consumed");

        var summary = (await analytics.SignedIn(StaffRoles.Analyst).GetFromJsonAsync<AnalyticsSummary>("/api/analytics/summary"))!;
        summary.Total.ShouldBe(2);
        summary.ByCategory.ShouldBe([new CountRow("disability", 2), new CountRow("bullying", 1)]);
        summary.ByKind.ShouldBe([new CountRow("anonymous", 1), new CountRow("named", 1)]);
        summary.ByMonth.ShouldBe([new MonthRow(new DateOnly(2026, 3, 1), 1), new MonthRow(new DateOnly(2026, 4, 1), 1)]);
    }

    [Fact]
    public async Task AForgedStaffTokenIsRefused()
    {
        var client = analytics.CreateClient();
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        var forged = handler.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = "harbour",
            Audience = "harbour",
            Subject = new ClaimsIdentity([new Claim("role", StaffRoles.Admin)]),
            SigningCredentials = new(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(new byte[32]),
                Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
        });
        client.DefaultRequestHeaders.Add("Cookie", $"{StaffAuthentication.CookieName}={forged}");

        (await client.GetAsync("/api/analytics/summary")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
