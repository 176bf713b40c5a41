using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Harbour.AppHost;

// The servers Harbour needs, in one of three modes (Harbour:Servers):
//   containers  Aspire's PostgreSQL and RabbitMQ containers and an smtp4dev container;
//   local       the same servers from the operating system's packages, as executables with data under .harbour/;
//   external    servers that already run, given as ConnectionStrings:{intakedb,casesdb,...,messaging,mail};
//   auto        (default) containers where a container runtime answers, else local.
internal sealed record Servers(
    Func<string, IResourceBuilder<IResourceWithConnectionString>> Database,
    IResourceBuilder<IResourceWithConnectionString> Messaging,
    IResourceBuilder<IResourceWithConnectionString> Mail,
    IReadOnlyList<IResourceBuilder<IResource>> Running);

internal static class ServersExtensions
{
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
            .WithDataVolume("harbour-postgres");
        var rabbitmq = builder.AddRabbitMQ("rabbitmq", password: builder.AddSecret("rabbitmq-password"))
            .WithManagementPlugin()
            .WithDataVolume("harbour-rabbitmq");
        var mail = builder.AddContainer("mail", "rnwood/smtp4dev", "3.15.0")
            .WithHttpEndpoint(targetPort: 80, name: "http")
            .WithEndpoint(targetPort: 25, name: "smtp", scheme: "smtp")
            .WithHttpHealthCheck("/", endpointName: "http");
        var smtp = mail.GetEndpoint("smtp");
        var mailServer = builder.AddConnectionString("mail-server",
            ReferenceExpression.Create($"smtp://{smtp.Property(EndpointProperty.Host)}:{smtp.Property(EndpointProperty.Port)}?tls=none"));
        return new Servers(name => postgres.AddDatabase(name), rabbitmq, mailServer, [postgres, rabbitmq, mail]);
    }

    static Servers AddLocal(IDistributedApplicationBuilder builder)
    {
        var config = builder.Configuration.GetSection("Harbour:Local");
        var data = Path.GetFullPath(config["DataPath"] ?? Path.Combine(builder.AppHostDirectory, "..", ".harbour", "data"));
        var scripts = Path.Combine(builder.AppHostDirectory, "servers");
        int postgresPort = config.GetValue("PostgresPort", 5433), amqpPort = config.GetValue("AmqpPort", 5673),
            managementPort = config.GetValue("ManagementPort", 15673), smtpPort = config.GetValue("SmtpPort", 2525),
            mailUiPort = config.GetValue("MailUiPort", 5080);

        var postgresPassword = builder.AddSecret("postgres-password");
        var serverConnection = ReferenceExpression.Create(
            $"Host=127.0.0.1;Port={postgresPort.ToString()};Username=harbour;Password={postgresPassword};Database=postgres");
        builder.Services.AddHealthChecks().AddAsyncCheck("postgres-ready", async ct =>
        {
            try
            {
                await using var connection = new NpgsqlConnection(await serverConnection.GetValueAsync(ct));
                await connection.OpenAsync(ct);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy(ex.Message);
            }
        });
        var postgres = builder.AddExecutable("postgres", "bash", scripts,
                "postgres.sh", Path.Combine(data, "postgres"), postgresPort.ToString())
            .WithEnvironment("POSTGRES_PASSWORD", postgresPassword)
            .WithEndpoint(port: postgresPort, name: "tcp", scheme: "tcp", isProxied: false)
            .WithHealthCheck("postgres-ready");

        var rabbitPassword = builder.AddSecret("rabbitmq-password");
        var rabbitmq = builder.AddExecutable("rabbitmq", "bash", scripts,
                "rabbitmq.sh", Path.Combine(data, "rabbitmq"), amqpPort.ToString(), managementPort.ToString())
            .WithEnvironment("RABBITMQ_PASSWORD", rabbitPassword)
            .WithEndpoint(port: amqpPort, name: "amqp", scheme: "amqp", isProxied: false)
            .WithHttpEndpoint(port: managementPort, name: "management", isProxied: false)
            // The management UI answers only once the broker has booted.
            .WithHttpHealthCheck("/", endpointName: "management");

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

        return new Servers(
            name => builder.AddConnectionString(name, ReferenceExpression.Create(
                $"Host=127.0.0.1;Port={postgresPort.ToString()};Username=harbour;Password={postgresPassword};Database={name}")),
            builder.AddConnectionString("messaging-server",
                ReferenceExpression.Create($"amqp://harbour:{rabbitPassword}@127.0.0.1:{amqpPort.ToString()}")),
            builder.AddConnectionString("mail-server", ReferenceExpression.Create($"smtp://127.0.0.1:{smtpPort.ToString()}?tls=none")),
            [postgres, rabbitmq, mail]);
    }

    static Servers AddExternal(IDistributedApplicationBuilder builder) => new(
        name => builder.AddConnectionString(name),
        builder.AddConnectionString("messaging"),
        builder.AddConnectionString("mail"),
        []);

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
