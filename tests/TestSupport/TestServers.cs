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

    public static string UniqueName(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static string Database(this ServerEndpoints servers, string name) =>
        new NpgsqlConnectionStringBuilder(servers.Postgres) { Database = name }.ConnectionString;

    // Each test host gets a virtual host of its own, so hosts running side by side never see each other's messages.
    public static async Task<string> CreateVirtualHostAsync(this ServerEndpoints servers, string name)
    {
        var user = Uri.UnescapeDataString(servers.Rabbit.UserInfo.Split(':')[0]);
        using var create = Authorised(HttpMethod.Put, new Uri(servers.RabbitManagement, $"api/vhosts/{name}"), servers.Rabbit);
        (await Http.SendAsync(create)).EnsureSuccessStatusCode();
        using var permit = Authorised(HttpMethod.Put, new Uri(servers.RabbitManagement, $"api/permissions/{name}/{user}"), servers.Rabbit);
        permit.Content = new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json");
        (await Http.SendAsync(permit)).EnsureSuccessStatusCode();
        return new UriBuilder(servers.Rabbit) { Path = "/" + name }.Uri.ToString();
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
            .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(request => request.ForPort(80)))
            .Build();
        await Task.WhenAll(database.StartAsync(), broker.StartAsync(), mail.StartAsync());
        var host = mail.Hostname;
        return new ServerEndpoints(database.GetConnectionString(), new Uri(broker.GetConnectionString()),
            new Uri($"http://{broker.Hostname}:{broker.GetMappedPublicPort(15672)}"),
            new Uri($"smtp://{host}:{mail.GetMappedPublicPort(25)}"), new Uri($"http://{host}:{mail.GetMappedPublicPort(80)}"));
    }
}
