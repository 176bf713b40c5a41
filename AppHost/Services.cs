using Microsoft.Extensions.Configuration;

namespace Harbour.AppHost;

internal static class Services
{
    public static IResourceBuilder<ParameterResource> AddSecret(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter(name, new GenerateParameterDefault { MinLength = 40, Special = false }, secret: true, persist: true);

    // The key that seals narrative and identity, and while it rotates the others that only open (ServiceDefaults/Security/Sealer.cs).
    public static IResourceBuilder<ProjectResource> WithReportKeys(this IResourceBuilder<ProjectResource> service,
        IResourceBuilder<ParameterResource> reportKey, IResourceBuilder<ParameterResource>? otherReportKeys) =>
        otherReportKeys is null ? service.WithEnvironment("Harbour__ReportKey", reportKey)
            : service.WithEnvironment("Harbour__ReportKey", reportKey).WithEnvironment("Harbour__OtherReportKeys", otherReportKeys);

    // A Harbour service: internal HTTP only, its own broker user, its own database as its own role (with the audit log beside it, kept by another
    // role, when keepsAuditLog), the broker, and healthy before anyone needs it.
    public static IResourceBuilder<ProjectResource> AddService<TProject>(this IDistributedApplicationBuilder builder,
        string name, Servers servers, string database, bool keepsAuditLog = false) where TProject : IProjectMetadata, new()
    {
        var service = builder.AddProject<TProject>(name)
            .WithHttpEndpoint(name: "http")
            .WithHttpHealthCheck("/health")
            .WithReference(servers.Databases.For(name, database, keepsAuditLog), database)
            .WithReference(servers.Broker.For(name), "messaging");
        foreach (var server in servers.Running) service.WaitFor(server);
        // The servers' own certificate authority, beside the system's (OpenSSL's SSL_CERT_DIR is a list of folders).
        if (servers.Trust is { } trust)
            service.WithEnvironment("SSL_CERT_DIR", $"{trust}:{Environment.GetEnvironmentVariable("SSL_CERT_DIR") ?? "/etc/ssl/certs"}");
        return service.WithSiteSettings();
    }

    // Settings under Services: in the AppHost's configuration reach every service and the gateway
    // (Services:Messaging:PrefetchCount becomes Messaging__PrefetchCount), so one place tunes a site.
    public static IResourceBuilder<ProjectResource> WithSiteSettings(this IResourceBuilder<ProjectResource> project)
    {
        foreach (var (key, value) in project.ApplicationBuilder.Configuration.GetSection("Services").AsEnumerable(makePathsRelative: true))
            if (value is not null) project.WithEnvironment(key.Replace(":", "__"), value);
        return project;
    }
}
