namespace Harbour.Contracts;

// The institution's whole profile, as cases holds it after a change (and at start-up). Consumers keep it in
// their own databases and apply snapshots in version order, so an older one arriving late changes nothing.
public sealed record InstitutionProfilePublished(int Version, DateTimeOffset PublishedAt, InstitutionProfile Profile);
