using System.Net;
using System.Text;
using Npgsql;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.EndToEnd.Tests;

[CollectionDefinition(Name)]
public sealed class HarbourCollection : ICollectionFixture<HarbourSystem>
{
    public const string Name = "harbour";
}

// The whole system as the AppHost starts it (services, gateway), on the test servers, once for all tests.
public sealed class HarbourSystem : IAsyncLifetime
{
    public const string AdminEmail = "admin@harbour.test";
    public const string AdminPassword = "end to end admin passphrase";
    public const string TeamAddress = "team@harbour.test";

    DistributedApplication app = null!;
    public Uri Gateway { get; private set; } = null!;
    public string IntakeDatabase { get; private set; } = null!;
    public MailCatcher Mail { get; private set; } = null!;
    // What the services exported by OpenTelemetry.
    public TelemetrySink Telemetry { get; private set; } = null!;

    ServerEndpoints servers = null!;
    string run = null!;

    public async ValueTask InitializeAsync()
    {
        servers = await TestServers.GetAsync();
        run = TestServers.UniqueName("e2e");
        IntakeDatabase = servers.Database($"{run}_intakedb");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
        [
            .. await servers.AppHostSettingsAsync(run),
            $"Harbour:AdminEmail={AdminEmail}",
            $"Parameters:admin-password={AdminPassword}",
            $"Harbour:TeamAddress={TeamAddress}",
            // The quick exit leaves for a page the browser tests can reach without the internet.
            "Services:Harbour:QuickExitUrl=about:blank",
        ], (options, _) => options.DisableDashboard = true);
        // Every service exports its traces, logs and metrics to the sink, soon after they happen.
        Telemetry = await TelemetrySink.StartAsync();
        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
            builder.CreateResourceBuilder(project)
                .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", Telemetry.Address.ToString().TrimEnd('/'))
                .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "1000")
                .WithEnvironment("OTEL_BLRP_SCHEDULE_DELAY", "1000")
                .WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", "2000");

        app = await builder.BuildAsync();
        using var starting = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await app.StartAsync(starting.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", starting.Token);
        Gateway = app.GetEndpoint("gateway", "http");
        Mail = new MailCatcher(servers.MailApi);
        playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    Microsoft.Playwright.IPlaywright playwright = null!;

    // The system's Chromium, shared by the browser tests; each test opens its own context (cookies, viewport).
    public Microsoft.Playwright.IBrowser Browser { get; private set; } = null!;

    // Each test is a fresh visitor: its own cookies, redirects followed by hand.
    public HttpClient Visitor() => new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
    {
        BaseAddress = Gateway,
    };

    // A connection string as the AppHost gives it to a service: a database (intakedb, casesdb, notificationsdb, analyticsdb),
    // as the service's own role; a broker URI (intake-messaging, cases-messaging...), as the service's own user.
    public async Task<string> ConnectionStringAsync(string name) =>
        (await app.GetConnectionStringAsync(name))!;

    // Every message waiting on the system's broker (its virtual host), error queues and taps too.
    public Task<string> EveryMessageOnTheBrokerAsync() => servers.EveryMessageAsync(run);

    // From now on, a copy of every message of Harbour's published on the system's broker waits in a queue of its own.
    public Task TapTheBrokerAsync() => servers.TapAsync(run);

    // Everything a service has written to its console so far, as the dashboard shows it.
    public async Task<string> LogsOfAsync(string resource)
    {
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var text = new System.Text.StringBuilder();
        await foreach (var batch in app.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(model.Resources.Single(r => r.Name == resource)))
            foreach (var line in batch) text.AppendLine(line.Content);
        return text.ToString();
    }

    public async Task<HttpClient> SignedInStaffAsync()
    {
        var staff = Visitor();
        (await StaffSignIn.SignInAsync(staff, AdminEmail, AdminPassword)).SignedIn().ShouldBeTrue();
        return staff;
    }

    // A case manager answers on the case page, once the case is open.
    public static async Task ReplyAsync(HttpClient staff, string reference, string body)
    {
        var casePage = await Eventually.GetAsync(() => staff.GetAsync($"/cases/{reference}"), r => r.IsSuccessStatusCode, "the case to open");
        var reply = HtmlForm.Read(await casePage.Content.ReadAsStringAsync(), "form:has(textarea[name=body])");
        reply["body"] = body;
        (await staff.PostAsync($"/cases/{reference}?handler=Reply", reply.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        await Telemetry.DisposeAsync();
    }
}
