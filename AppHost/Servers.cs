using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Harbour.AppHost;

// The servers Harbour needs, in one of three modes (Harbour:Servers):
//   containers  Aspire's PostgreSQL and RabbitMQ containers and an smtp4dev container;
//   local       the same servers from the operating system's packages, as executables with data under .harbour/;
//   external    servers that already run: ConnectionStrings:postgres and :messaging (their admins), Harbour:Messaging:Management
//               and ConnectionStrings:mail;
//   auto        (default) containers where a container runtime answers, else local.
// Trust: a folder of certificate authorities the services must trust beyond the system's own (the local servers' authority),
// given to them through SSL_CERT_DIR; null where the system's own suffice.
internal sealed record Servers(
    Databases Databases,
    Broker Broker,
    IResourceBuilder<IResourceWithConnectionString> Mail,
    IReadOnlyList<IResourceBuilder<IResource>> Running,
    string? Trust = null);

// Each service's database on the PostgreSQL server, reached as the service's own role (AppHost/DatabaseRoles.cs). The roles
// and databases are made by the health check "databases", which the server's resource carries: no service starts before it
// passes. Harbour:Databases:Prefix goes in front of every database's and role's name (so that several systems can share a
// server, as the tests' do); each role's password is the secret parameter {database}-password.
internal sealed class Databases
{
    readonly IDistributedApplicationBuilder builder;
    readonly ReferenceExpression address, admin;
    readonly string prefix;
    readonly List<(DatabaseRoles.Owner Owner, IResourceBuilder<ParameterResource> Password)> owners = [];

    // address: the server, as the start of an Npgsql connection string (Host=...;Port=...); admin: a connection string of a
    // role that may create roles and databases.
    public Databases(IDistributedApplicationBuilder builder, ReferenceExpression address, ReferenceExpression admin)
    {
        (this.builder, this.address, this.admin) = (builder, address, admin);
        prefix = builder.Configuration["Harbour:Databases:Prefix"] ?? "";
        builder.AddProvisioningCheck(HealthCheck, ProvideAsync);
    }

    public const string HealthCheck = "databases";

    // The connection string of a service's database, as the service's role.
    public IResourceBuilder<IResourceWithConnectionString> For(string service, string database, bool keepsAuditLog)
    {
        var password = builder.AddSecret($"{database}-password");
        var owner = new DatabaseRoles.Owner(prefix + database, prefix + service, "", keepsAuditLog,
            builder.Configuration.GetValue("Harbour:AuditDetailMonths", 24));
        owners.Add((owner, password));
        return builder.AddConnectionString(database, ReferenceExpression.Create(
            $"{address};Username={owner.Role};Password={password};Database={owner.Database}"));
    }

    async Task ProvideAsync(CancellationToken ct)
    {
        var adminConnection = await admin.GetValueAsync(ct) ?? throw new InvalidOperationException("No admin connection string for PostgreSQL.");
        foreach (var (owner, password) in owners)
            await DatabaseRoles.ProvideAsync(adminConnection, owner with { Password = (await password.Resource.GetValueAsync(ct))! }, ct);
    }
}

// Each service's user on the broker (AppHost/BrokerUsers.cs), made by the health check "broker-users", which the broker's
// resource carries: no service starts before it passes. A user is named after its service, after Harbour:Databases:Prefix
// (so that several systems can share a broker); its password is the secret parameter {service}-broker-password.
internal sealed class Broker
{
    readonly IDistributedApplicationBuilder builder;
    readonly ReferenceExpression address, admin, management;
    readonly string scheme, path, prefix;
    readonly List<(BrokerUsers.User User, IResourceBuilder<ParameterResource> Password)> users = [];
    static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public const string HealthCheck = "broker-users";

    // scheme: amqps (TLS) or amqp; address: the broker as host:port; path: the virtual host as the URI's path ("" for the
    // default); admin: the AMQP URI of a user that may make users; management: the management API's base URL.
    public Broker(IDistributedApplicationBuilder builder, string scheme, ReferenceExpression address, string path, ReferenceExpression admin,
        ReferenceExpression management)
    {
        (this.builder, this.scheme, this.address, this.path, this.admin, this.management) = (builder, scheme, address, path, admin, management);
        prefix = builder.Configuration["Harbour:Databases:Prefix"] ?? "";
        builder.AddProvisioningCheck(HealthCheck, ProvideAsync);
    }

    // The AMQP URI of a service's own user.
    public IResourceBuilder<IResourceWithConnectionString> For(string service)
    {
        var password = builder.AddSecret($"{service}-broker-password");
        var user = new BrokerUsers.User(prefix + service, "", service);
        users.Add((user, password));
        return builder.AddConnectionString($"{service}-messaging",
            ReferenceExpression.Create($"{scheme}://{user.Name}:{password}@{address}{path}"));
    }

    async Task ProvideAsync(CancellationToken ct)
    {
        var adminUri = new Uri(await admin.GetValueAsync(ct) ?? throw new InvalidOperationException("No admin URI for RabbitMQ."));
        var managementUri = new Uri((await management.GetValueAsync(ct) ?? throw new InvalidOperationException("No management URL for RabbitMQ.")).TrimEnd('/') + "/");
        foreach (var (user, password) in users)
            await BrokerUsers.ProvideAsync(Http, managementUri, adminUri, user with { Password = (await password.Resource.GetValueAsync(ct))! }, ct);
        await BrokerUsers.DeclareExchangesAsync(Http, managementUri, adminUri, ct);
    }
}

internal static class ServersExtensions
{
    // A health check that makes what the services need on a server (roles, users) once, retrying until it succeeds, and
    // then answers healthy: the server's resource carries it, so no service starts before it passes. What stops it is its
    // message on the dashboard.
    public static void AddProvisioningCheck(this IDistributedApplicationBuilder builder, string name, Func<CancellationToken, Task> provide)
    {
        var once = new SemaphoreSlim(1, 1);
        var provided = false;
        builder.Services.AddHealthChecks().AddAsyncCheck(name, async ct =>
        {
            await once.WaitAsync(ct);
            try
            {
                if (!provided) await provide(ct);
                provided = true;
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is NpgsqlException or HttpRequestException or InvalidOperationException or TimeoutException
                or TaskCanceledException or UriFormatException)
            {
                return HealthCheckResult.Unhealthy(ex.Message);
            }
            finally
            {
                once.Release();
            }
        });
    }

    public static Servers AddServers(this IDistributedApplicationBuilder builder)
    {
        var mode = builder.Configuration["Harbour:Servers"] ?? "auto";
        if (mode == "auto") mode = ContainerRuntimeAnswers() ? "containers" : "local";
        return mode switch
        {
            "containers" => AddContainers(builder),
            "local" => AddLocal(builder),
            "external" => AddExternal(builder),
            _ => throw new InvalidOperationException($"Harbour:Servers is '{mode}'; use auto, containers, local or external."),
        };
    }

    static Servers AddContainers(IDistributedApplicationBuilder builder)
    {
        var postgres = builder.AddPostgres("postgres", password: builder.AddSecret("postgres-password"))
            .WithDataVolume("harbour-postgres")
            .WithHealthCheck(Databases.HealthCheck);
        var endpoint = postgres.GetEndpoint("tcp");
        var databases = new Databases(builder,
            ReferenceExpression.Create($"Host={endpoint.Property(EndpointProperty.Host)};Port={endpoint.Property(EndpointProperty.Port)}"),
            postgres.Resource.ConnectionStringExpression);
        var rabbitmq = builder.AddRabbitMQ("rabbitmq", password: builder.AddSecret("rabbitmq-password"))
            .WithManagementPlugin()
            .WithDataVolume("harbour-rabbitmq")
            .WithHealthCheck(Broker.HealthCheck);
        var amqp = rabbitmq.GetEndpoint("tcp");
        var broker = new Broker(builder, "amqp", ReferenceExpression.Create($"{amqp.Property(EndpointProperty.Host)}:{amqp.Property(EndpointProperty.Port)}"), "",
            rabbitmq.Resource.ConnectionStringExpression, ReferenceExpression.Create($"{rabbitmq.GetEndpoint("management").Property(EndpointProperty.Url)}"));
        var mail = builder.AddContainer("mail", "rnwood/smtp4dev", "3.15.0")
            .WithHttpEndpoint(targetPort: 80, name: "http")
            .WithEndpoint(targetPort: 25, name: "smtp", scheme: "smtp")
            .WithHttpHealthCheck("/", endpointName: "http");
        var smtp = mail.GetEndpoint("smtp");
        var mailServer = builder.AddConnectionString("mail-server",
            ReferenceExpression.Create($"smtp://{smtp.Property(EndpointProperty.Host)}:{smtp.Property(EndpointProperty.Port)}?tls=none"));
        return new Servers(databases, broker, mailServer, [postgres, rabbitmq, mail]);
    }

    static Servers AddLocal(IDistributedApplicationBuilder builder)
    {
        var config = builder.Configuration.GetSection("Harbour:Local");
        var data = Path.GetFullPath(config["DataPath"] ?? Path.Combine(builder.AppHostDirectory, "..", ".harbour", "data"));
        var scripts = Path.Combine(builder.AppHostDirectory, "servers");
        int postgresPort = config.GetValue("PostgresPort", 5433), amqpPort = config.GetValue("AmqpPort", 5673),
            managementPort = config.GetValue("ManagementPort", 15673), smtpPort = config.GetValue("SmtpPort", 2525),
            mailUiPort = config.GetValue("MailUiPort", 5080);

        // PostgreSQL and RabbitMQ speak TLS only, with a certificate from an authority of this installation's own
        // (servers/certificates.sh), which the services trust and check the servers' names against.
        var certificates = Path.GetFullPath(config["CertificatesPath"] ?? Path.Combine(data, "certificates"));
        var trust = Path.Combine(certificates, "trust");

        var postgresPassword = builder.AddSecret("postgres-password");
        var address = ReferenceExpression.Create(
            $"Host=127.0.0.1;Port={postgresPort.ToString()};SSL Mode=VerifyFull;Root Certificate={Path.Combine(trust, "harbour-local-authority.crt")}");
        var databases = new Databases(builder, address,
            ReferenceExpression.Create($"{address};Username=harbour;Password={postgresPassword};Database=postgres"));
        var postgres = builder.AddExecutable("postgres", "bash", scripts,
                "postgres.sh", Path.Combine(data, "postgres"), postgresPort.ToString())
            .WithEnvironment("POSTGRES_PASSWORD", postgresPassword)
            .WithEnvironment("CERTIFICATES", certificates)
            .WithEndpoint(port: postgresPort, name: "tcp", scheme: "tcp", isProxied: false)
            .WithHealthCheck(Databases.HealthCheck);

        var rabbitPassword = builder.AddSecret("rabbitmq-password");
        var rabbitmq = builder.AddExecutable("rabbitmq", "bash", scripts,
                "rabbitmq.sh", Path.Combine(data, "rabbitmq"), amqpPort.ToString(), managementPort.ToString())
            .WithEnvironment("RABBITMQ_PASSWORD", rabbitPassword)
            .WithEnvironment("CERTIFICATES", certificates)
            .WithEndpoint(port: amqpPort, name: "amqp", scheme: "amqp", isProxied: false)
            .WithHttpEndpoint(port: managementPort, name: "management", isProxied: false)
            // The management UI answers only once the broker has booted; then each service's user is made.
            .WithHttpHealthCheck("/", endpointName: "management")
            .WithHealthCheck(Broker.HealthCheck);
        var broker = new Broker(builder, "amqps", ReferenceExpression.Create($"127.0.0.1:{amqpPort.ToString()}"), "",
            ReferenceExpression.Create($"amqps://harbour:{rabbitPassword}@127.0.0.1:{amqpPort.ToString()}"),
            ReferenceExpression.Create($"http://127.0.0.1:{managementPort.ToString()}/"));

        // Readable by their owner only, as PostgreSQL's and RabbitMQ's folders are (their scripts see to it).
        var mailData = Directory.CreateDirectory(Path.Combine(data, "mail")).FullName;
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(mailData, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var mail = builder.AddExecutable("mail", "dotnet", Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..")),
                // On loopback only, and without IMAP and POP3, which would answer any login: mail is read in its web UI.
                "tool", "run", "smtp4dev", "--", $"--urls=http://127.0.0.1:{mailUiPort}", $"--smtpport={smtpPort}",
                "--imapport=", "--pop3port=", "--allowremoteconnections-", "--bindaddress=127.0.0.1", "--hostname=localhost",
                $"--db={Path.Combine(mailData, "smtp4dev.db")}", "--nousersettings", "--messagestokeep=10000")
            .WithEndpoint(port: smtpPort, name: "smtp", scheme: "smtp", isProxied: false)
            .WithHttpEndpoint(port: mailUiPort, name: "http", isProxied: false)
            .WithHttpHealthCheck("/", endpointName: "http");

        return new Servers(databases, broker,
            builder.AddConnectionString("mail-server", ReferenceExpression.Create($"smtp://127.0.0.1:{smtpPort.ToString()}?tls=none")),
            [postgres, rabbitmq, mail], trust);
    }

    // ConnectionStrings:postgres names a role that may create roles and databases (its own database is only connected to);
    // the services never see it.
    static Servers AddExternal(IDistributedApplicationBuilder builder)
    {
        var admin = builder.AddConnectionString("postgres").WithHealthCheck(Databases.HealthCheck);
        var server = new NpgsqlConnectionStringBuilder(builder.Configuration.GetConnectionString("postgres")
            ?? throw new InvalidOperationException("Harbour:Servers is external: give ConnectionStrings:postgres (see docs/operations.md)."));
        server.Remove("Username");
        server.Remove("Password");
        server.Remove("Database");
        // ConnectionStrings:messaging names a broker user that may make users (an administrator), with the virtual host as
        // its path; Harbour:Messaging:Management, the broker's management API.
        var messaging = builder.AddConnectionString("messaging").WithHealthCheck(Broker.HealthCheck);
        var brokerUri = new Uri(builder.Configuration.GetConnectionString("messaging")
            ?? throw new InvalidOperationException("Harbour:Servers is external: give ConnectionStrings:messaging (see docs/operations.md)."));
        var managementUrl = builder.Configuration["Harbour:Messaging:Management"]
            ?? throw new InvalidOperationException("Harbour:Servers is external: give Harbour:Messaging:Management (see docs/operations.md).");
        var broker = new Broker(builder, brokerUri.Scheme, ReferenceExpression.Create($"{brokerUri.Authority}"), brokerUri.AbsolutePath.TrimEnd('/'),
            messaging.Resource.ConnectionStringExpression, ReferenceExpression.Create($"{managementUrl}"));
        return new(new Databases(builder, ReferenceExpression.Create($"{server.ConnectionString}"), admin.Resource.ConnectionStringExpression),
            broker,
            builder.AddConnectionString("mail"),
            [admin, messaging]);
    }

    static bool ContainerRuntimeAnswers()
    {
        foreach (var runtime in new[] { "docker", "podman" })
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(runtime, "info")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                });
                if (process is null) continue;
                if (process.WaitForExit(TimeSpan.FromSeconds(10)) && process.ExitCode == 0) return true;
                process.Kill(entireProcessTree: true);
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed.
            }
        }
        return false;
    }
}
