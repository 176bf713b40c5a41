using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Harbour.Analytics.Counts;
using Harbour.Contracts;
using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Analytics.Tests;

public sealed class AnalyticsFactory : ServiceFactory<Program>
{
    public AnalyticsFactory() : base("analyticsdb") { }

    protected override void ConfigureWebHost(IWebHostBuilder builder) => base.ConfigureWebHost(builder.TrustTestStaffTokens());

    public HttpClient SignedIn(string role, Guid? session = null)
    {
        var client = CreateClient();
        var token = TestStaffTokens.Issuer.Create("test-user", "Test Analyst", [role], session ?? Guid.NewGuid(), TimeProvider.System);
        client.DefaultRequestHeaders.Add("Cookie", $"{StaffAuthentication.CookieName}={token}");
        return client;
    }
}

public sealed class AnalyticsTests(AnalyticsFactory analytics) : IClassFixture<AnalyticsFactory>
{
    [Fact]
    public async Task ATokenWhoseSessionCasesEndedIsRefused()
    {
        var session = Guid.NewGuid();
        var analyst = analytics.SignedIn(StaffRoles.Analyst, session);
        (await analyst.GetAsync("/api/analytics/summary")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await analytics.Services.GetRequiredService<IBus>().Publish(new StaffSessionEnded(session, "signed out", DateTimeOffset.UtcNow));

        await Eventually.GetAsync(async () => (await analyst.GetAsync("/api/analytics/summary")).StatusCode, s => s == HttpStatusCode.Unauthorized,
            "the ended session's token to be refused");
        (await analytics.SignedIn(StaffRoles.Analyst).GetAsync("/api/analytics/summary")).StatusCode.ShouldBe(HttpStatusCode.OK, "other sessions go on");
    }

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
        summary.ByCategory.Where(r => r.Value is "disability" or "bullying").ShouldBe(
            [new CountRow("disability", "Disability", 2), new CountRow("bullying", "Bullying", 1)]);
        summary.ByKind.Select(r => r.Value).ShouldBe(["anonymous", "named"]);
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

        // Well formed and signed, but with a key cases does not hold (another installation's secret).
        var otherIssuer = new StaffTokenIssuer(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Harbour:StaffKey"] = "another-installation-0123456789abcdefghijkl" }).Build());
        var otherClient = analytics.CreateClient();
        otherClient.DefaultRequestHeaders.Add("Cookie",
            $"{StaffAuthentication.CookieName}={otherIssuer.Create("x", "Someone", [StaffRoles.Admin], Guid.NewGuid(), TimeProvider.System)}");
        (await otherClient.GetAsync("/api/analytics/summary")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}

// On its own service, so that the profile it publishes and the report it counts do not change the totals above.
public sealed class AnalyticsProfileTests(AnalyticsFactory analytics) : IClassFixture<AnalyticsFactory>
{
    [Fact]
    public async Task CountsAreNamedAsTheLatestProfileNamesThemAndKeepTheirId()
    {
        var bus = analytics.Services.GetRequiredService<IBus>();
        var report = Reports.Submitted(categories: ["stalking"]);
        var renamed = DefaultProfile.Value with
        {
            Categories = [.. DefaultProfile.Value.Categories.Where(c => c.Id != "stalking"),
                new Category { Id = "stalking", Name = "Stalking or being followed", Specialism = "Personal safety" }],
        };
        var before = analytics.Consumed.Consumed;

        await bus.Publish(report);
        await analytics.Consumed.WaitForAsync(before + 1, "the report to be counted");
        await bus.Publish(new InstitutionProfilePublished(7, DateTimeOffset.UtcNow, renamed));
        await using var scope = analytics.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>();
        await Eventually.GetAsync(() => db.Set<ProfileSnapshot>().AnyAsync(s => s.Version == 7), held => held, "the profile to be held");

        var summary = (await analytics.SignedIn(StaffRoles.Analyst).GetFromJsonAsync<AnalyticsSummary>("/api/analytics/summary"))!;
        summary.ByCategory.ShouldContain(new CountRow("stalking", "Stalking or being followed", 1));
        summary.ByLocation.ShouldContain(r => r.Value == "city-campus/library" && r.Name == "City campus: Library");
    }
}
