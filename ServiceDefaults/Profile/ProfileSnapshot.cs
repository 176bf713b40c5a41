using System.Text.Json;
using Harbour.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Harbour.ServiceDefaults.Profile;

// A published version of the institution profile, as a consuming service keeps it. Every version received is
// kept, so earlier guidance stays readable; the current profile is the highest version.
public sealed class ProfileSnapshot
{
    public int Version { get; init; }
    public DateTimeOffset PublishedAt { get; init; }
    public required string Content { get; init; }

    public InstitutionProfile Profile => JsonSerializer.Deserialize<InstitutionProfile>(Content, ProfileFile.Json)!;
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
