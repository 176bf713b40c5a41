using System.Text.Json;
using Harbour.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Profile;

// A published version of the institution profile, as a following service keeps it. Every version received is kept:
// a report is worked on under the version it was made under, and earlier guidance stays readable.
public sealed class ProfileSnapshot
{
    public int Version { get; init; }
    public DateTimeOffset PublishedAt { get; init; }
    public required string Content { get; init; }

    public InstitutionProfile Profile => JsonSerializer.Deserialize<InstitutionProfile>(Content, ProfileJson.Options)!;
}

public static class ProfileSnapshotModel
{
    public static ModelBuilder AddProfileSnapshots(this ModelBuilder model)
    {
        model.Entity<ProfileSnapshot>(snapshot =>
        {
            snapshot.ToTable("profile_snapshots");
            snapshot.HasKey(s => s.Version);
            snapshot.Property(s => s.Version).ValueGeneratedNever();
            snapshot.Property(s => s.Content).HasColumnType("jsonb");
        });
        return model;
    }
}
