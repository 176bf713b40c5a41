namespace Harbour.Contracts;

/// <summary>The one service that publishes a message: the broker lets that service's user, and no other, write to the
/// message's exchange (<c>Harbour.Contracts:&lt;Type&gt;</c>), so a service taken over cannot pass off another's message
/// (AppHost/BrokerUsers.cs; OWASP ASVS 5.0 V13.2.2, least privilege between back-end components). Each service's
/// MessageRouteTests check that every message type it puts in its outbox names it here, and that no other does.</summary>
/// <param name="service">A name of <see cref="ServiceNames"/>.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PublishedByAttribute(string service) : Attribute
{
    public string Service { get; } = service;
}

/// <summary>The services that consume a message: only their broker users may bind the message's exchange to their queues
/// (read; none of them may declare or delete it: the AppHost declares it), so no other service receives it
/// (AppHost/BrokerUsers.cs, ServiceDefaults/Messaging/QueueBindings.cs). Each service's MessageRouteTests check
/// that every message type its registered consumers take names it here, and that no other does.</summary>
/// <param name="services">Names of <see cref="ServiceNames"/>.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ConsumedByAttribute(params string[] services) : Attribute
{
    public IReadOnlyList<string> Services { get; } = services;
}

/// <summary>The services that consume a message's fault: when one of the message's consumers gives up on it (its retries
/// spent), MassTransit publishes a <c>Fault&lt;T&gt;</c> carrying the whole message to the exchange
/// <c>MassTransit:Fault--Harbour.Contracts:&lt;Type&gt;--</c>. Faults never leave the service that failed: each service named
/// here must also be among the message's consumers, only its consumer's endpoint publishes faults (every other endpoint
/// keeps its failures to its error queue, ServiceDefaults/Messaging/Messaging.cs), and only its broker user may write to,
/// read or declare the fault's exchange and MassTransit's <c>MassTransit:Fault</c> and <c>MassTransit:ReceiveFault</c>
/// (AppHost/BrokerUsers.cs). Each service's MessageRouteTests check that the faults its consumers take name it here.</summary>
/// <param name="services">Names of <see cref="ServiceNames"/>, each also named by the message's <see cref="ConsumedByAttribute"/>.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class FaultConsumedByAttribute(params string[] services) : Attribute
{
    public IReadOnlyList<string> Services { get; } = services;
}

/// <summary>The services that exchange messages, by the name their broker user is made for.</summary>
public static class ServiceNames
{
    public const string Intake = "intake", Cases = "cases", Notifications = "notifications", Analytics = "analytics";
}
