using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Harbour.AppHost;

// Least privilege on the broker (docs/security.md): each service connects to RabbitMQ as a user of its own, with no
// management tag, allowed on its virtual host only what its own MassTransit topology uses: its own queues and exchanges
// (named <service>-..., with their _error, _skipped and _dead twins), the message types' exchanges (Harbour.Contracts...)
// and MassTransit's own exchanges (MassTransit:..., where faults go). So a service can neither read, purge nor delete another
// service's queues. Of the message types' exchanges it may write only to those of the messages it publishes (each message
// names its one publisher: Contracts/PublishedBy.cs), so a service taken over cannot pass off another's message, such as a
// CaseDeleted from intake. It may still bind any message type's exchange to its own queues (read).
//
// Made through the management API with the broker's admin user, before the services start and again at every start (each
// call is idempotent): by the AppHost, in every mode.
public static class BrokerUsers
{
    // A service's user: its name (the service's, after any prefix), its password (letters and digits), and the service whose
    // queues it may use.
    public sealed record User(string Name, string Password, string Service);

    // What the user may configure and read, as one of RabbitMQ's permission patterns.
    public static string Allowed(string service) =>
        $"^({System.Text.RegularExpressions.Regex.Escape(service)}-.*|Harbour\\.Contracts[.:].*|MassTransit:.*)$";

    // What the user may write to: its own queues and exchanges, MassTransit's (faults), and the exchanges of the messages it
    // publishes, named as MassTransit names them (Harbour.Contracts:ReportSubmitted).
    public static string Writable(string service)
    {
        var published = typeof(Contracts.PublishedByAttribute).Assembly.GetExportedTypes()
            .Where(type => type.GetCustomAttributes(typeof(Contracts.PublishedByAttribute), false).Cast<Contracts.PublishedByAttribute>().Any(p => p.Service == service))
            .Select(type => System.Text.RegularExpressions.Regex.Escape($"{type.Namespace}:{type.Name}")).Order().ToList();
        var escaped = System.Text.RegularExpressions.Regex.Escape(service);
        return published.Count == 0 ? $"^({escaped}-.*|MassTransit:.*)$" : $"^({escaped}-.*|MassTransit:.*|{string.Join('|', published)})$";
    }

    // admin: the AMQP URI of a user that may make users and grant permissions on the virtual host in its path ("/" when none).
    public static async Task ProvideAsync(HttpClient http, Uri management, Uri admin, User user, CancellationToken ct = default)
    {
        var vhost = Uri.UnescapeDataString(admin.AbsolutePath.Trim('/'));
        if (vhost.Length == 0) vhost = "/";
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(admin.UserInfo)));
        async Task PutAsync(string path, object body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(management, path))
            {
                Headers = { Authorization = new AuthenticationHeaderValue("Basic", credentials) },
                Content = JsonContent.Create(body),
            };
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"RabbitMQ refused {path.Split('/')[1]} for {user.Name}: {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        await PutAsync($"api/users/{Uri.EscapeDataString(user.Name)}", new { password = user.Password, tags = "" });
        var allowed = Allowed(user.Service);
        await PutAsync($"api/permissions/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(user.Name)}",
            new { configure = allowed, write = Writable(user.Service), read = allowed });
    }
}
