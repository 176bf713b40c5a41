using System.Collections.Concurrent;
using Harbour.Contracts;
using Harbour.Profile;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Intake.Guidance;

// One edition of a guidance page: the profile version it first appeared in and when that was published (null for the
// shipped default, before cases has published anything).
public sealed record GuidanceEdition(int Version, DateTimeOffset? From, GuidancePage Page);

// Each edition of a guidance page, newest first, so that earlier policies stay readable (Office for Students condition E6).
// An edition is the page as a reporter read it, facts from the profile filled in: a changed retention period is a new
// edition of the privacy notice.
// Worked out once per set of versions held (they never change, only grow), not at every view.
public sealed class GuidanceHistory(InstitutionProfiles profiles, GuidanceHistory.Cache cache)
{
    public sealed class Cache : ConcurrentDictionary<string, (string Held, IReadOnlyList<GuidanceEdition> Editions)>;

    public async Task<IReadOnlyList<GuidanceEdition>> EditionsAsync(string slug, CancellationToken cancellationToken)
    {
        var held = $"{await profiles.Snapshots.CountAsync(cancellationToken)}/{await profiles.Snapshots.MaxAsync(s => (int?)s.Version, cancellationToken)}";
        if (cache.TryGetValue(slug, out var cached) && cached.Held == held) return cached.Editions;
        var editions = await ReadAsync(slug, cancellationToken);
        if (editions.Count > 0) cache[slug] = (held, editions);
        return editions;
    }

    async Task<IReadOnlyList<GuidanceEdition>> ReadAsync(string slug, CancellationToken cancellationToken)
    {
        var snapshots = await profiles.Snapshots.AsNoTracking().OrderBy(s => s.Version).ToListAsync(cancellationToken);
        var editions = new List<GuidanceEdition>();
        foreach (var snapshot in snapshots)
        {
            var page = snapshot.Profile.Guidance.FirstOrDefault(g => g.Slug == slug)?.Filled(snapshot.Profile);
            if (page is null) continue;
            if (editions.Count > 0 && editions[^1].Page == page) continue;
            editions.Add(new GuidanceEdition(snapshot.Version, snapshot.PublishedAt, page));
        }
        if (editions.Count == 0 && DefaultProfile.Value.Guidance.FirstOrDefault(g => g.Slug == slug) is { } fallback)
            // Harbour's own page (the privacy notice, for a profile that never had one), filled with the institution's facts.
            editions.Add(new GuidanceEdition(DefaultProfile.Version, null, fallback.Filled(snapshots.LastOrDefault()?.Profile ?? DefaultProfile.Value)));
        editions.Reverse();
        return editions;
    }
}
