using Harbour.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.ServiceDefaults.Profile;

public sealed record CurrentProfile(int Version, InstitutionProfile Profile);

public sealed record GuidanceEdition(int Version, DateTimeOffset From, GuidancePage Page);

// The profile a service works from: the newest snapshot in its own database, so it keeps working while cases
// is down. Until the first snapshot arrives it is the default profile shipped with Harbour (version 0).
public sealed class InstitutionProfiles(DbContext db, ProfileCache cache)
{
    public async Task<CurrentProfile> CurrentAsync(CancellationToken cancellationToken)
    {
        var version = await db.Set<ProfileSnapshot>().MaxAsync(s => (int?)s.Version, cancellationToken) ?? 0;
        if (cache.Current is { } cached && cached.Version == version) return cached;
        var profile = version == 0
            ? DefaultProfile.Value
            : (await db.Set<ProfileSnapshot>().AsNoTracking().SingleAsync(s => s.Version == version, cancellationToken)).Profile;
        return cache.Current = new CurrentProfile(version, profile);
    }

    // Each edition of a guidance page, newest first, with the date it was first published. Worked out once per set of
    // versions held (they never change, only grow), not at every view.
    public async Task<IReadOnlyList<GuidanceEdition>> GuidanceHistoryAsync(string slug, CancellationToken cancellationToken)
    {
        var held = $"{await db.Set<ProfileSnapshot>().CountAsync(cancellationToken)}/{await db.Set<ProfileSnapshot>().MaxAsync(s => (int?)s.Version, cancellationToken)}";
        if (cache.Guidance.TryGetValue(slug, out var cached) && cached.Held == held) return cached.Editions;
        var editions = await ReadGuidanceHistoryAsync(slug, cancellationToken);
        if (editions.Count > 0) cache.Guidance[slug] = (held, editions);
        return editions;
    }

    async Task<IReadOnlyList<GuidanceEdition>> ReadGuidanceHistoryAsync(string slug, CancellationToken cancellationToken)
    {
        var snapshots = await db.Set<ProfileSnapshot>().AsNoTracking().OrderBy(s => s.Version).ToListAsync(cancellationToken);
        var editions = new List<GuidanceEdition>();
        foreach (var snapshot in snapshots)
        {
            var page = snapshot.Profile.Guidance.FirstOrDefault(g => g.Slug == slug);
            if (page is null) continue;
            if (editions.Count > 0 && editions[^1].Page == page) continue;
            editions.Add(new GuidanceEdition(snapshot.Version, snapshot.PublishedAt, page));
        }
        if (editions.Count == 0 && DefaultProfile.Value.Guidance.FirstOrDefault(g => g.Slug == slug) is { } fallback)
            editions.Add(new GuidanceEdition(0, DateTimeOffset.MinValue, fallback));
        editions.Reverse();
        return editions;
    }
}

public sealed class ProfileCache
{
    public CurrentProfile? Current { get; set; }
    public System.Collections.Concurrent.ConcurrentDictionary<string, (string Held, IReadOnlyList<GuidanceEdition> Editions)> Guidance { get; } = new();
}

public static class InstitutionProfileRegistration
{
    // For services that follow the profile cases publishes: the snapshot consumer and the reader above.
    public static IBusRegistrationConfigurator AddProfileSnapshots<TContext>(this IBusRegistrationConfigurator bus)
        where TContext : DbContext
    {
        bus.AddSingleton<ProfileCache>();
        bus.AddScoped(services => new InstitutionProfiles(services.GetRequiredService<TContext>(), services.GetRequiredService<ProfileCache>()));
        bus.AddConsumer<InstitutionProfilePublishedConsumer<TContext>>()
            .Endpoint(endpoint => endpoint.Name = $"{typeof(TContext).Assembly.GetName().Name!.ToLowerInvariant()}-institution-profile-published");
        return bus;
    }
}
