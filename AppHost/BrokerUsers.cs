using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Harbour.AppHost;

// Least privilege on the broker (docs/security.md): each service connects to RabbitMQ as a user of its own, with no
// management tag, allowed on its virtual host only what its own MassTransit topology uses: its own queues and exchanges
// (named <service>-..., with their _error, _skipped and _dead twins), of the message types' exchanges only those of the
// messages it publishes or consumes, and of MassTransit's fault exchanges only those of the faults it consumes, as each
// contract names them (Contracts/MessageRoutes.cs). So a service can neither read, purge nor delete another service's
// queues; a service taken over can neither pass off another's message (a CaseDeleted from intake, a fault of a department
// alert) nor receive a message meant for others (a DepartmentAlertRequested in analytics, or its fault).
//
// Made through the management API with the broker's admin user, before the services start and again at every start (each
// call is idempotent): by the AppHost, in every mode.
public static class BrokerUsers
{
    // A service's user: its name (the service's, after any prefix), its password (letters and digits), and the service whose
    // queues it may use.
    public sealed record User(string Name, string Password, string Service);

    // What the user may configure (declare, delete), write to and read from, as RabbitMQ's permission patterns: its own
    // queues and exchanges, and of the message types' exchanges (named as MassTransit names them, Harbour.Contracts:ReportSubmitted)
    // those of the messages it publishes (write), consumes (read: binding one to its own queue), or either (configure). Of
    // MassTransit's own exchanges, only a service that consumes a message's fault ([FaultConsumedBy]) gets any: that fault's
    // exchange (MassTransit:Fault--Harbour.Contracts:DepartmentAlertRequested--) and the ones MassTransit binds it and a
    // poison message's fault to (MassTransit:Fault, MassTransit:ReceiveFault), for all three; no other service may read or
    // forge a fault.
    public static (string Configure, string Write, string Read) Permissions(string service)
    {
        var messages = typeof(Contracts.ServiceNames).Assembly.GetExportedTypes().Select(type => (Exchange: $"{type.Namespace}:{type.Name}",
            Publishes: type.GetCustomAttribute<Contracts.PublishedByAttribute>()?.Service == service,
            Consumes: type.GetCustomAttribute<Contracts.ConsumedByAttribute>()?.Services.Contains(service) == true,
            ConsumesFault: type.GetCustomAttribute<Contracts.FaultConsumedByAttribute>()?.Services.Contains(service) == true)).ToList();
        var faults = messages.Where(m => m.ConsumesFault).Select(m => $"MassTransit:Fault--{m.Exchange}--").Order().ToList();
        if (faults.Count > 0) faults.InsertRange(0, ["MassTransit:Fault", "MassTransit:ReceiveFault"]);
        string Pattern(Func<(string Exchange, bool Publishes, bool Consumes, bool ConsumesFault), bool> which) =>
            $"^({string.Join('|', [Regex.Escape(service) + "-.*", .. messages.Where(which).Select(m => m.Exchange).Order().Concat(faults).Select(Regex.Escape)])})$";
        return (Pattern(m => m.Publishes || m.Consumes), Pattern(m => m.Publishes), Pattern(m => m.Consumes));
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
        var (configure, write, read) = Permissions(user.Service);
        await PutAsync($"api/permissions/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(user.Name)}", new { configure, write, read });
    }
}
