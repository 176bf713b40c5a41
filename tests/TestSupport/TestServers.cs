using System.Net.Http.Headers;
using System.Text;
using DotNet.Testcontainers.Builders;
using Npgsql;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Harbour.Testing;

public sealed record ServerEndpoints(string Postgres, Uri Rabbit, Uri RabbitManagement, Uri Smtp, Uri MailApi);

// The real servers the tests run against: taken from the environment when set (./harbour test and CI
// set them), otherwise started once per test run with Testcontainers where Docker is available.
public static class TestServers
{
    static readonly Lazy<Task<ServerEndpoints>> Endpoints = new(StartAsync);
    static readonly HttpClient Http = new();

    public static Task<ServerEndpoints> GetAsync() => Endpoints.Value;

    // A port nobody listens on now, on IPv4 or IPv6 (Kestrel's "localhost" takes both), for a server the test starts itself.
    public static int FreePort() => FreePorts(1)[0];

    // count different free ports, each held until all are found so that none is given twice.
    public static int[] FreePorts(int count)
    {
        var held = new List<System.Net.Sockets.TcpListener>();
        try
        {
            for (var i = 0; i < count; i++) held.Add(Listen(0));
            return [.. held.Select(listener => ((System.Net.IPEndPoint)listener.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in held) listener.Stop();
        }
    }

    static System.Net.Sockets.TcpListener Listen(int port)
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.IPv6Any, port);
        listener.Server.DualMode = true;
        listener.Start();
        return listener;
    }

    public static string UniqueName(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static string Database(this ServerEndpoints servers, string name) =>
        new NpgsqlConnectionStringBuilder(servers.Postgres) { Database = name }.ConnectionString;

    // The AppHost's settings for the whole system on these servers (Harbour:Servers=external): databases and roles named
    // {run}_intakedb and {run}_intake, {run}_casesdb and {run}_cases..., a broker virtual host named run, and the gateway on
    // a free port.
    public static async Task<List<string>> AppHostSettingsAsync(this ServerEndpoints servers, string run) =>
    [
        "Harbour:Servers=external",
        $"Harbour:GatewayPort={FreePort()}",
        $"Harbour:Databases:Prefix={run}_",
        $"ConnectionStrings:postgres={servers.Postgres}",
        $"ConnectionStrings:messaging={await servers.CreateVirtualHostAsync(run)}",
        $"Harbour:Messaging:Management={servers.RabbitManagement}",
        $"ConnectionStrings:mail={servers.Smtp}",
    ];

    // Each test host gets a virtual host of its own, so hosts running side by side never see each other's messages, with every
    // message's exchange declared in it.
    public static async Task<string> CreateVirtualHostAsync(this ServerEndpoints servers, string name)
    {
        var user = Uri.UnescapeDataString(servers.Rabbit.UserInfo.Split(':')[0]);
        using var create = Authorised(HttpMethod.Put, new Uri(servers.RabbitManagement, $"api/vhosts/{name}"), servers.Rabbit);
        (await Http.SendAsync(create)).EnsureSuccessStatusCode();
        using var permit = Authorised(HttpMethod.Put, new Uri(servers.RabbitManagement, $"api/permissions/{name}/{user}"), servers.Rabbit);
        permit.Content = new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json");
        (await Http.SendAsync(permit)).EnsureSuccessStatusCode();
        var uri = new UriBuilder(servers.Rabbit) { Path = "/" + name }.Uri;
        // Every message's exchange, as the AppHost declares them: no service declares them itself.
        await Harbour.AppHost.BrokerUsers.DeclareExchangesAsync(Http, servers.RabbitManagement, uri);
        return uri.ToString();
    }

    // Every message waiting in every queue of a virtual host (error queues too), as the management API shows them: read and
    // put back, so nothing is taken from a consumer.
    public static async Task<string> EveryMessageAsync(this ServerEndpoints servers, string virtualHost)
    {
        using var list = Authorised(HttpMethod.Get, new Uri(servers.RabbitManagement, $"api/queues/{Uri.EscapeDataString(virtualHost)}"), servers.Rabbit);
        using var queues = System.Text.Json.JsonDocument.Parse(await (await Http.SendAsync(list)).EnsureSuccessStatusCode().Content.ReadAsStringAsync());
        var text = new StringBuilder();
        // Every queue, whatever its statistics say (they lag by seconds).
        foreach (var queue in queues.RootElement.EnumerateArray())
        {
            using var get = Authorised(HttpMethod.Post, new Uri(servers.RabbitManagement,
                $"api/queues/{Uri.EscapeDataString(virtualHost)}/{Uri.EscapeDataString(queue.GetProperty("name").GetString()!)}/get"), servers.Rabbit);
            get.Content = new StringContent("""{"count":100000,"ackmode":"ack_requeue_true","encoding":"auto"}""", Encoding.UTF8, "application/json");
            text.AppendLine(await (await Http.SendAsync(get)).EnsureSuccessStatusCode().Content.ReadAsStringAsync());
        }
        return text.ToString();
    }

    // A queue bound to every exchange of Harbour's messages in a virtual host, and to MassTransit's fault exchanges for them
    // (a fault carries the message it failed on): from now on it keeps a copy of every message published to them
    // (MassTransit's exchanges are fanout), to be read with EveryMessageAsync.
    public static async Task<string> TapAsync(this ServerEndpoints servers, string virtualHost)
    {
        var vhost = Uri.EscapeDataString(virtualHost);
        var tap = UniqueName("tap");
        using var create = Authorised(HttpMethod.Put, new Uri(servers.RabbitManagement, $"api/queues/{vhost}/{tap}"), servers.Rabbit);
        create.Content = new StringContent("""{"durable":false,"auto_delete":false}""", Encoding.UTF8, "application/json");
        (await Http.SendAsync(create)).EnsureSuccessStatusCode();
        using var list = Authorised(HttpMethod.Get, new Uri(servers.RabbitManagement, $"api/exchanges/{vhost}"), servers.Rabbit);
        using var exchanges = System.Text.Json.JsonDocument.Parse(await (await Http.SendAsync(list)).EnsureSuccessStatusCode().Content.ReadAsStringAsync());
        foreach (var name in exchanges.RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()!)
                     .Where(n => n.Contains("Harbour.Contracts", StringComparison.Ordinal)))
        {
            using var bind = Authorised(HttpMethod.Post, new Uri(servers.RabbitManagement, $"api/bindings/{vhost}/e/{Uri.EscapeDataString(name)}/q/{tap}"), servers.Rabbit);
            bind.Content = new StringContent("""{"routing_key":""}""", Encoding.UTF8, "application/json");
            (await Http.SendAsync(bind)).EnsureSuccessStatusCode();
        }
        return tap;
    }

    // A request to RabbitMQ's management API with the broker's own credentials.
    public static HttpRequestMessage Authorised(HttpMethod method, Uri uri, Uri broker) => new(method, uri)
    {
        Headers = { Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(broker.UserInfo)))) },
    };

    static async Task<ServerEndpoints> StartAsync()
    {
        string? Env(string name) => Environment.GetEnvironmentVariable(name);
        if (Env("HARBOUR_TEST_POSTGRES") is { } postgres)
            return new ServerEndpoints(postgres, new Uri(Env("HARBOUR_TEST_RABBITMQ")!),
                new Uri(Env("HARBOUR_TEST_RABBITMQ_MANAGEMENT")!), new Uri(Env("HARBOUR_TEST_SMTP")!),
                new Uri(Env("HARBOUR_TEST_MAIL_API")!));

        var database = new PostgreSqlBuilder("postgres:16").Build();
        var broker = new RabbitMqBuilder("rabbitmq:3.13-management")
            .WithUsername("harbour").WithPassword("harbour").WithPortBinding(15672, true).Build();
        var mail = new ContainerBuilder("rnwood/smtp4dev:3.15.0")
            .WithPortBinding(80, true).WithPortBinding(25, true)
            // Kept for the tests that read SMTP sessions (EmailConnectionTests), however busy the other tests keep it.
            .WithEnvironment("ServerOptions__NumberOfSessionsToKeep", "10000")
            .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(request => request.ForPort(80)))
            .Build();
        await Task.WhenAll(database.StartAsync(), broker.StartAsync(), mail.StartAsync());
        var host = mail.Hostname;
        return new ServerEndpoints(database.GetConnectionString(), new Uri(broker.GetConnectionString()),
            new Uri($"http://{broker.Hostname}:{broker.GetMappedPublicPort(15672)}"),
            new Uri($"smtp://{host}:{mail.GetMappedPublicPort(25)}?tls=none"), new Uri($"http://{host}:{mail.GetMappedPublicPort(80)}"));
    }
}
