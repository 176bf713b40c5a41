using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;
using MassTransit;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Harbour.Testing;

// Staff tokens as cases makes them from ServiceFactory.StaffKey: what a test of another service signs in with, and the key
// it trusts in place of fetching cases' key document.
public static class TestStaffTokens
{
    public static readonly StaffTokenIssuer Issuer = new(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Harbour:StaffKey"] = ServiceFactory<object>.StaffKey }).Build());

    // A service other than cases trusts the key cases would publish (here, the test issuer's) instead of fetching cases' key document.
    public static IWebHostBuilder TrustTestStaffTokens(this IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services => services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme,
            options => options.Configuration = new OpenIdConnectConfiguration
            {
                Issuer = StaffAuthentication.Issuer, SigningKeys = { Issuer.VerifyingKey },
            }));
}

// The mail key's sealer as cases and notifications hold it in tests (ServiceFactory.MailKey): to seal what a test sends
// notifications, and open what cases sends it.
public static class TestMail
{
    public static readonly Sealer Sealer = new(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Harbour:MailKey"] = ServiceFactory<object>.MailKey }).Build(),
        "Harbour:MailKey", "Harbour:OtherMailKeys");
}

// The learning key's sealer as cases and analytics hold it in tests (ServiceFactory.LearningKey): to seal a closure's
// learning summary as cases does, and open what cases sends.
public static class TestLearning
{
    public static readonly Sealer Sealer = new(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Harbour:LearningKey"] = ServiceFactory<object>.LearningKey }).Build(),
        "Harbour:LearningKey", "Harbour:OtherLearningKeys");
}

// One service, in process, on its own database (reached as its own role, made as the AppHost makes it, with the audit log kept
// apart when keepsAuditLog) and its own broker virtual host on the real servers.
public class ServiceFactory<TProgram>(string database, bool keepsAuditLog = false) : WebApplicationFactory<TProgram>, IAsyncLifetime
    where TProgram : class
{
    public const string ReportKey = "test-report-key-0123456789abcdefghijklmnopqrstuvwxyz";
    public const string StaffKey = "test-staff-key-0123456789abcdefghijklmnopqrstuvwxyz";
    public const string AnalyticsKey = "test-analytics-key-0123456789abcdefghijklmnopqrstuvwxyz";
    public const string MailKey = "test-mail-key-0123456789abcdefghijklmnopqrstuvwxyz";
    public const string LearningKey = "test-learning-key-0123456789abcdefghijklmnopqrstuvwxyz";

    public ServerEndpoints Servers { get; private set; } = null!;
    // The service's database as the service reaches it (its own role), and as the server's admin reaches it (for what a test
    // does outside Harbour, such as tampering with the audit log).
    public string ServiceDatabase { get; private set; } = null!;
    public string AdminDatabase { get; private set; } = null!;
    public Dictionary<string, string?> Settings { get; } = new()
    {
        ["Harbour:ReportKey"] = ReportKey,
        ["Harbour:AnalyticsKey"] = AnalyticsKey,
        ["Harbour:MailKey"] = MailKey,
        ["Harbour:LearningKey"] = LearningKey,
        ["Outbox:PollInterval"] = "00:00:00.100",
        ["Messaging:RetryMinInterval"] = "00:00:00.050",
        ["Messaging:RetryMaxInterval"] = "00:00:00.500",
    };

    public virtual async ValueTask InitializeAsync()
    {
        Servers = await TestServers.GetAsync();
        // A second replica, or the same service restarted with other settings, is given the first one's database.
        if (Settings.GetValueOrDefault($"ConnectionStrings:{database}") is { } given)
            (ServiceDatabase, AdminDatabase) = (given, Servers.Database(new Npgsql.NpgsqlConnectionStringBuilder(given).Database!));
        else
        {
            var name = TestServers.UniqueName(database);
            var owner = new Harbour.AppHost.DatabaseRoles.Owner(name, name, Guid.NewGuid().ToString("N"), keepsAuditLog);
            await Harbour.AppHost.DatabaseRoles.ProvideAsync(Servers.Postgres, owner);
            Settings[$"ConnectionStrings:{database}"] = ServiceDatabase = Harbour.AppHost.DatabaseRoles.ConnectionString(Servers.Postgres, owner);
            AdminDatabase = Servers.Database(owner.Database);
        }
        Settings.TryAdd("ConnectionStrings:messaging", await Servers.CreateVirtualHostAsync(TestServers.UniqueName("test")));
        Settings.TryAdd("ConnectionStrings:mail", Servers.Smtp.ToString());
        Services.GetRequiredService<IBus>().ConnectConsumeObserver(Consumed);
        // Messages published before the service's queues are bound would be lost: start when it says it is ready.
        if (WaitUntilReady)
        {
            var client = CreateClient();
            await Eventually.GetAsync(() => client.GetAsync("/health"), r => r.IsSuccessStatusCode, "the service to be ready");
        }
    }

    protected virtual bool WaitUntilReady => true;

    // Every service consumes ReportSubmitted: tests wait on this before asserting a duplicate changed nothing.
    public ConsumeCounter<ReportSubmitted> Consumed { get; } = new();

    public Task PublishAsync<T>(T message) where T : class => Services.GetRequiredService<IBus>().Publish(message);

    // The first message of a type that matches, as another service would receive it from the broker.
    public (Task Ready, Task<T> Message) Listen<T>(Func<T, bool> match) where T : class
    {
        var received = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handle = Services.GetRequiredService<IBus>().ConnectReceiveEndpoint(TestServers.UniqueName("listen"), endpoint =>
            endpoint.Handler<T>(context =>
            {
                if (match(context.Message)) received.TrySetResult(context.Message);
                return Task.CompletedTask;
            }));
        return (handle.Ready, received.Task);
    }

    // Configuration set here applies before Program reads it (a later override would come too late).
    protected override IHost CreateHost(IHostBuilder builder)
    {
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(Settings));
        return base.CreateHost(builder);
    }
}
