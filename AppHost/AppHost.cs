using Microsoft.Extensions.Configuration;
using Harbour.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

// Secrets are parameters: generated and kept in the AppHost's user secrets for local runs,
// given as Parameters__<name> (environment or configuration) anywhere else.
var reportKey = builder.AddSecret("report-key");
// While the report key rotates (docs/operations.md): the other keys intake and cases open with but never seal with,
// comma-separated. Only when given.
var otherReportKeys = builder.Configuration["Parameters:other-report-keys"] is { Length: > 0 }
    ? builder.AddParameter("other-report-keys", secret: true) : null;
var staffKey = builder.AddSecret("staff-key");
var adminPassword = builder.AddSecret("admin-password");
// Analytics' own: the key of the pseudonyms it keeps instead of other services' ids; after it rotates, the keys before it,
// oldest first, comma-separated (docs/operations.md). Only when given.
var analyticsKey = builder.AddSecret("analytics-key");
var earlierAnalyticsKeys = builder.Configuration["Parameters:earlier-analytics-keys"] is { Length: > 0 }
    ? builder.AddParameter("earlier-analytics-keys", secret: true) : null;
// Cases' and notifications' own: seals what cases asks notifications to email in its words (a department alert's body).
var mailKey = builder.AddSecret("mail-key");
// Cases' and analytics' own: seals a closure's learning summary on its way from cases to analytics.
var learningKey = builder.AddSecret("learning-key");

// PostgreSQL, RabbitMQ and the mail catcher: containers, local executables or existing servers.
var servers = builder.AddServers();

var gatewayPort = builder.Configuration.GetValue("Harbour:GatewayPort", 8080);
var publicUrl = builder.Configuration["Harbour:PublicUrl"] ?? $"http://localhost:{gatewayPort}";

var intake = builder.AddService<Projects.Intake>("intake", servers, database: "intakedb")
    .WithReportKeys(reportKey, otherReportKeys)
    .WithEnvironment("Harbour__PublicUrl", publicUrl);

var cases = builder.AddService<Projects.Cases>("cases", servers, database: "casesdb", keepsAuditLog: true)
    .WithReportKeys(reportKey, otherReportKeys)
    .WithEnvironment("Harbour__StaffKey", staffKey)
    .WithEnvironment("Harbour__MailKey", mailKey)
    .WithEnvironment("Harbour__LearningKey", learningKey)
    .WithEnvironment("Harbour__AdminEmail", builder.Configuration["Harbour:AdminEmail"] ?? "admin@harbour.local")
    .WithEnvironment("Harbour__AdminPassword", adminPassword)
    .WithEnvironment("Harbour__PublicUrl", publicUrl);
// Single sign-on (Harbour:Sso:Authority, ClientId, ClientSecret, Roles...) reaches cases alone: its client secret is nobody else's.
foreach (var (key, value) in builder.Configuration.GetSection("Harbour:Sso").AsEnumerable(makePathsRelative: true))
    if (value is not null) cases.WithEnvironment($"Staff__Sso__{key.Replace(":", "__")}", value);

// Notifications' admin pages, like analytics, check staff tokens with the public key cases publishes.
var notifications = builder.AddService<Projects.Notifications>("notifications", servers, database: "notificationsdb")
    .WithReference(servers.Mail, "mail")
    .WithReference(cases)
    .WithEnvironment("Harbour__MailKey", mailKey)
    .WithEnvironment("Harbour__PublicUrl", publicUrl)
    .WithEnvironment("Notifications__TeamAddress", builder.Configuration["Harbour:TeamAddress"] ?? "case-team@harbour.example")
    .WithEnvironment("Notifications__AuditAnchorTo", builder.Configuration["Harbour:AuditAnchorTo"] ?? "data-protection@harbour.example");

// Analytics checks staff tokens with the public key cases publishes; only cases holds the staff key.
var analytics = builder.AddService<Projects.Analytics>("analytics", servers, database: "analyticsdb")
    .WithReference(cases)
    .WithEnvironment("Harbour__AnalyticsKey", analyticsKey)
    .WithEnvironment("Harbour__LearningKey", learningKey)
    .WithEnvironment("Harbour__PublicUrl", publicUrl);
if (earlierAnalyticsKeys is not null) analytics.WithEnvironment("Harbour__EarlierAnalyticsKeys", earlierAnalyticsKeys);

// The only public door. It listens itself rather than behind Aspire's local proxy, so that it sees each client's own
// address: each sender's share of the reporter's door is counted by it (gateway/ReporterDoor/SubmissionsPerClient.cs).
builder.AddProject<Projects.Gateway>("gateway")
    .WithHttpEndpoint(port: gatewayPort, name: "http", isProxied: false)
    .WithEnvironment("Harbour__PublicUrl", publicUrl)
    .WithSiteSettings()
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithReference(intake).WaitFor(intake)
    .WithReference(cases).WaitFor(cases)
    .WithReference(analytics).WaitFor(analytics)
    .WithReference(notifications).WaitFor(notifications);

builder.Build().Run();
