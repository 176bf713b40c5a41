using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Cases.Tests;

public sealed class ReadinessTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    [Fact]
    public async Task ReadinessTurnsUnhealthyNamingAQueueLeftWithoutConsumers()
    {
        var client = cases.CreateClient();
        var ready = await Eventually.GetAsync(() => client.GetFromJsonAsync<JsonElement>("/health"),
            h => h.GetProperty("checks").GetProperty("queues").GetProperty("status").GetString() == "Healthy", "cases' queues to be ready");
        ready.GetProperty("checks").GetProperty("queues").GetProperty("data")
            .GetProperty("cases-report-submitted").GetProperty("consumers").GetInt32().ShouldBe(1);

        await cases.Services.GetRequiredService<IBusControl>().StopAsync();

        var response = await Eventually.GetAsync(() => client.GetAsync("/health"),
            r => r.StatusCode == HttpStatusCode.ServiceUnavailable, "readiness to fail");
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        var description = health.GetProperty("checks").GetProperty("queues").GetProperty("description").GetString()!;
        description.ShouldStartWith("No consumer on ");
        description.ShouldContain("cases-report-submitted");
    }
}
