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
/// (read) or declare it, so no other service receives it (AppHost/BrokerUsers.cs). Each service's MessageRouteTests check
/// that every message type its registered consumers take names it here, and that no other does.</summary>
/// <param name="services">Names of <see cref="ServiceNames"/>.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ConsumedByAttribute(params string[] services) : Attribute
{
    public IReadOnlyList<string> Services { get; } = services;
}

/// <summary>The services that exchange messages, by the name their broker user is made for.</summary>
public static class ServiceNames
{
    public const string Intake = "intake", Cases = "cases", Notifications = "notifications", Analytics = "analytics";
}
