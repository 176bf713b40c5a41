using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbour.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Intake.Tests;

public sealed class OutboxTests(IntakeFactory intake) : IClassFixture<IntakeFactory>
{
    // Every service's bus is set up by the same AddMessaging: MassTransit's usage telemetry (a report of how the bus is used,
    // sent to its makers) is off.
    [Fact]
    public void TheBusReportsNothingToItsMakers() =>
        intake.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<UsageTelemetryOptions>>().Value.Enabled.ShouldBeFalse();

    [Fact]
    public async Task AcceptedReportIsPublishedToTheBrokerAsReportSubmitted()
    {
        var received = new TaskCompletionSource<ReportSubmitted>(TaskCreationOptions.RunContinuationsAsynchronously);
        var bus = intake.Services.GetRequiredService<IBus>();
        var listener = bus.ConnectReceiveEndpoint(TestServers.UniqueName("listener"), endpoint =>
            endpoint.Handler<ReportSubmitted>(context => { received.TrySetResult(context.Message); return Task.CompletedTask; }));
        await listener.Ready;

        var report = ValidReports.Anonymous();
        (report["occurredOn"], report["relation"]) = ("2026-02-27", "witnessed");
        var response = await intake.CreateClient().PostAsJsonAsync("/api/reports", report);
        var reference = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString();

        var message = await received.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        message.Reference.ShouldBe(reference);
        message.Categories.ShouldBe(["race"]);
        message.SealedDetails.ShouldStartWith("v2.");
        message.ProfileVersion.ShouldBe(1, "the shipped default, as no other version has reached this intake");
        (message.Relation, message.OccurredIn).ShouldBe(("witnessed", "2026-02"), "who it happened to and the month, never the day, for analytics");
        await using var scope = intake.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
        await Eventually.GetAsync(() => db.Outbox.AsNoTracking().CountAsync(m => m.SentAt == null), n => n == 0, "the outbox to empty");
    }
}

// The broker is reached through a gate the test shuts and opens: reports are accepted while it is
// shut and go out when it opens.
public sealed class BrokerOutageFactory : ServiceFactory<Program>, IDisposable
{
    public TcpGate Gate { get; private set; } = null!;

    public BrokerOutageFactory() : base("intakedb") { }

    protected override bool WaitUntilReady => false;

    public override async ValueTask InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        Gate = new TcpGate(servers.Rabbit, open: false);
        var virtualHost = new Uri(await servers.CreateVirtualHostAsync(TestServers.UniqueName("outage")));
        Settings["ConnectionStrings:messaging"] = new UriBuilder(virtualHost) { Host = "127.0.0.1", Port = Gate.Port }.Uri.ToString();
        await base.InitializeAsync();
    }

    void IDisposable.Dispose() => Gate.Dispose();
}

public sealed class BrokerOutageTests(BrokerOutageFactory intake) : IClassFixture<BrokerOutageFactory>
{
    [Fact]
    public async Task ReportsAreAcceptedWhileTheBrokerIsDownAndGoOutWhenItReturns()
    {
        var client = intake.CreateClient();
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++) responses.Add(await client.PostAsJsonAsync("/api/reports", ValidReports.Anonymous()));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created);
        await using var scope = intake.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
        (await db.Outbox.CountAsync(m => m.SentAt == null)).ShouldBe(3);
        (await client.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);

        intake.Gate.Open();

        await Eventually.GetAsync(() => db.Outbox.AsNoTracking().CountAsync(m => m.SentAt == null), n => n == 0,
            "the outbox to drain once the broker is back", seconds: 120);
        await Eventually.GetAsync(async () => (await client.GetAsync("/health")).StatusCode, s => s == HttpStatusCode.OK,
            "intake to report itself ready again");
    }
}
