using System.Text.Json;
using Harbour.Contracts;
using Harbour.Profile;

namespace Harbour.Cases.Profile;

// One version of the institution profile: the whole profile as it stood after a change, who made the change
// and why. Versions are never edited; a change is a new version.
public sealed class ProfileVersion
{
    public int Version { get; private init; }
    public required string Content { get; init; }
    public required string ChangedBy { get; init; }
    public DateTimeOffset ChangedAt { get; private init; }
    public required string Summary { get; init; }

    public InstitutionProfile Profile => JsonSerializer.Deserialize<InstitutionProfile>(Content, ProfileJson.Options)!;

    public static ProfileVersion After(ProfileVersion? current, InstitutionProfile profile, string changedBy, string summary,
        TimeProvider clock) => new()
    {
        Version = (current?.Version ?? 0) + 1,
        Content = JsonSerializer.Serialize(profile, ProfileJson.Options),
        ChangedBy = changedBy,
        ChangedAt = clock.GetUtcNow(),
        Summary = summary,
    };

    public InstitutionProfilePublished ToPublished() => new(Version, ChangedAt, Profile);
}

public sealed record ProfileVersionSummary(int Version, string ChangedBy, DateTimeOffset ChangedAt, string Summary);
