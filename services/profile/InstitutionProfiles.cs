using System.Collections.Concurrent;
using Harbour.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Harbour.Profile;

// A version of the institution profile: Version is the number cases gave it (1 is the shipped default).
public sealed record VersionedProfile(int Version, InstitutionProfile Profile);

// The profile a following service works from, read from its own snapshots so that it keeps working while cases is down.
// Versions never change once published, so each is read from the database once and then kept in memory.
public sealed class InstitutionProfiles(DbContext db, ProfileCache cache, ILogger<InstitutionProfiles> log)
{
    public DbSet<ProfileSnapshot> Snapshots => db.Set<ProfileSnapshot>();

    // The newest version held; the shipped default until the first snapshot arrives.
    public async Task<VersionedProfile> CurrentAsync(CancellationToken cancellationToken)
    {
        var version = await Snapshots.MaxAsync(s => (int?)s.Version, cancellationToken) ?? DefaultProfile.Version;
        return await AtVersionAsync(version, cancellationToken);
    }

    // The version a report was made under (ReportSubmitted.ProfileVersion), so that every service plans it alike.
    // - Newer than any held: its InstitutionProfilePublished is still in this service's queue (the report overtook it, as
    //   two queues drain side by side after an outage). ProfileVersionNotHeldYet is thrown, and the message retried.
    // - Older and not held (this service's database was reset since): the nearest older version held, with a warning.
    public async Task<VersionedProfile> AtVersionAsync(int version, CancellationToken cancellationToken)
    {
        if (cache.Versions.TryGetValue(version, out var cached)) return cached;
        var newest = await Snapshots.MaxAsync(s => (int?)s.Version, cancellationToken) ?? DefaultProfile.Version;
        if (version > newest) throw new ProfileVersionNotHeldYet(version, newest);
        var snapshot = await Snapshots.AsNoTracking().Where(s => s.Version <= version).OrderByDescending(s => s.Version)
            .FirstOrDefaultAsync(cancellationToken);
        if (snapshot is null)
        {
            if (version > DefaultProfile.Version) log.LogWarning("Institution profile version {Version} is not held; working from the default", version);
            return new VersionedProfile(DefaultProfile.Version, DefaultProfile.Value);
        }
        var found = new VersionedProfile(snapshot.Version, snapshot.Profile);
        if (found.Version == version) return cache.Versions[version] = found;
        log.LogWarning("Institution profile version {Version} is not held; working from version {Held}", version, found.Version);
        return found;
    }
}

public sealed class ProfileVersionNotHeldYet(int version, int newest)
    : Exception($"Institution profile version {version} has not arrived yet (the newest held is {newest}); retrying.");

// The versions read so far, for the life of the process (a profile is tens of kilobytes; an installation has tens of versions).
public sealed class ProfileCache
{
    public ConcurrentDictionary<int, VersionedProfile> Versions { get; } = new();
}

public static class InstitutionProfileRegistration
{
    // For services that follow the profile cases publishes: the snapshot consumer and the reader above.
    public static IBusRegistrationConfigurator AddProfileSnapshots<TContext>(this IBusRegistrationConfigurator bus)
        where TContext : DbContext
    {
        bus.AddSingleton<ProfileCache>();
        bus.AddScoped(services => new InstitutionProfiles(services.GetRequiredService<TContext>(), services.GetRequiredService<ProfileCache>(),
            services.GetRequiredService<ILogger<InstitutionProfiles>>()));
        bus.AddConsumer<InstitutionProfilePublishedConsumer<TContext>>()
            .Endpoint(endpoint => endpoint.Name = $"{typeof(TContext).Assembly.GetName().Name!.ToLowerInvariant()}-institution-profile-published");
        return bus;
    }
}
