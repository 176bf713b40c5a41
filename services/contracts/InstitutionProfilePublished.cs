namespace Harbour.Contracts;

/// <summary>The institution's whole profile, as cases holds it after a change (and again at start-up). intake,
/// notifications and analytics keep every version in their own databases; the current one is the highest version held,
/// so an older one arriving late changes nothing.</summary>
/// <param name="Version">The version number, from 1 (the default Harbour ships with), one more at each change.</param>
/// <param name="PublishedAt">When the version was saved (UTC).</param>
/// <param name="Profile">The whole profile.</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Intake, ServiceNames.Notifications, ServiceNames.Analytics)]
public sealed record InstitutionProfilePublished(int Version, DateTimeOffset PublishedAt, InstitutionProfile Profile);
