using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Harbour.AppHost;

// Least privilege on the broker (docs/security.md): each service connects to RabbitMQ as a user of its own, with no
// management tag, allowed on its virtual host only what its own MassTransit topology uses: its own queues and exchanges
// (named <service>-..., with their _error, _skipped and _dead twins), of the message types' exchanges only those of the
// messages it publishes (writing) or consumes (binding), never configuring (which is also deleting) one, and of MassTransit's
// fault exchanges only those of the faults it consumes, as each contract names them (Contracts/MessageRoutes.cs). So a service can neither read, purge nor delete another service's
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
    // those of the messages it publishes (write) or consumes (read: binding one to its own queue's exchange,
    // ServiceDefaults/Messaging/QueueBindings.cs). No service may configure a message type's exchange: that would let it
    // delete the exchange from under every consumer; the AppHost declares them all (DeclareExchangesAsync), and neither
    // MassTransit's publish topology (Messaging.cs) nor its consume topology declares them. Of MassTransit's own exchanges, only a service that
    // consumes a message's fault ([FaultConsumedBy]), and so publishes it, gets any: that fault's exchange
    // (MassTransit:Fault--Harbour.Contracts:DepartmentAlertRequested--) and the ones MassTransit binds it and a poison message's
    // fault to (MassTransit:Fault, MassTransit:ReceiveFault), for all three; no other service may read or forge a fault.
    public static (string Configure, string Write, string Read) Permissions(string service)
    {
        var messages = Messages().Select(m => (m.Exchange, m.PublishedBy == service, m.ConsumedBy.Contains(service), m.FaultConsumedBy.Contains(service))).ToList();
        var faults = messages.Where(m => m.Item4).Select(m => $"MassTransit:Fault--{m.Exchange}--").Order().ToList();
        if (faults.Count > 0) faults.InsertRange(0, ["MassTransit:Fault", "MassTransit:ReceiveFault"]);
        string Pattern(Func<(string Exchange, bool Publishes, bool Consumes, bool ConsumesFault), bool> which) =>
            $"^({string.Join('|', [Regex.Escape(service) + "-.*", .. messages.Where(which).Select(m => m.Exchange).Order().Concat(faults).Select(Regex.Escape)])})$";
        return (Pattern(_ => false), Pattern(m => m.Publishes), Pattern(m => m.Consumes));
    }

    // Every message type's exchange, its publisher and its consumers, as each contract names them (Contracts/MessageRoutes.cs).
    static IEnumerable<(string Exchange, string? PublishedBy, IReadOnlyList<string> ConsumedBy, IReadOnlyList<string> FaultConsumedBy)> Messages() =>
        typeof(Contracts.ServiceNames).Assembly.GetExportedTypes().Select(type => ($"{type.Namespace}:{type.Name}",
            type.GetCustomAttribute<Contracts.PublishedByAttribute>()?.Service,
            type.GetCustomAttribute<Contracts.ConsumedByAttribute>()?.Services ?? Array.Empty<string>(),
            type.GetCustomAttribute<Contracts.FaultConsumedByAttribute>()?.Services ?? Array.Empty<string>()));

    // The exchanges the consumers bind to, declared as MassTransit declares them (fanout, durable), so that no consumer needs
    // to: every published message's, and the fault exchange of each message whose fault is consumed.
    public static IEnumerable<string> Exchanges() =>
        Messages().Where(m => m.PublishedBy is not null).SelectMany(m => m.FaultConsumedBy.Count > 0
            ? new[] { m.Exchange, $"MassTransit:Fault--{m.Exchange}--" } : [m.Exchange]).Order();

    // admin: the AMQP URI of a user that may make users, grant permissions and declare exchanges on the virtual host in its
    // path ("/" when none).
    public static async Task ProvideAsync(HttpClient http, Uri management, Uri admin, User user, CancellationToken ct = default)
    {
        await PutAsync(http, management, admin, $"users/{Uri.EscapeDataString(user.Name)}", new { password = user.Password, tags = "" }, ct);
        var (configure, write, read) = Permissions(user.Service);
        await PutAsync(http, management, admin, $"permissions/{VirtualHost(admin)}/{Uri.EscapeDataString(user.Name)}", new { configure, write, read }, ct);
    }

    public static async Task DeclareExchangesAsync(HttpClient http, Uri management, Uri admin, CancellationToken ct = default)
    {
        foreach (var exchange in Exchanges())
            await PutAsync(http, management, admin, $"exchanges/{VirtualHost(admin)}/{Uri.EscapeDataString(exchange)}",
                new { type = "fanout", durable = true, auto_delete = false, @internal = false, arguments = new { } }, ct);
    }

    static string VirtualHost(Uri admin) => Uri.EscapeDataString(Uri.UnescapeDataString(admin.AbsolutePath.Trim('/')) is { Length: > 0 } vhost ? vhost : "/");

    static async Task PutAsync(HttpClient http, Uri management, Uri admin, string path, object body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(management, "api/" + path))
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(admin.UserInfo)))) },
            Content = JsonContent.Create(body),
        };
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"RabbitMQ refused {Uri.UnescapeDataString(path)}: {(int)response.StatusCode} {response.ReasonPhrase}");
    }
}
