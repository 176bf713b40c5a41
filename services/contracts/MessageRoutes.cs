namespace Harbour.Contracts;

/// <summary>The one service that publishes a message: the broker lets that service's user, and no other, write to the
/// message's exchange (<c>Harbour.Contracts:&lt;Type&gt;</c>), so a service taken over cannot pass off a message of another
/// (AppHost/BrokerUsers.cs; OWASP ASVS 5.0 V13.2.2, least privilege between back-end components). Each service's tests check
/// that every message type it puts in its outbox names it here.</summary>
/// <param name="service">intake, cases or notifications (<see cref="Publishers"/>).</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PublishedByAttribute(string service) : Attribute
{
    public string Service { get; } = service;
}

/// <summary>The services that publish messages, by the name their broker user is made for.</summary>
public static class Publishers
{
    public const string Intake = "intake", Cases = "cases", Notifications = "notifications";
}
