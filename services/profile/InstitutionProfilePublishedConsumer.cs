using System.Text.Json;
using Harbour.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Harbour.Profile;

// Keeps every published version; inserting is idempotent, and a late older version never becomes current
// because the current profile is always the highest version held.
public sealed class InstitutionProfilePublishedConsumer<TContext>(TContext db, ILogger<InstitutionProfilePublishedConsumer<TContext>> log)
    : IConsumer<InstitutionProfilePublished> where TContext : DbContext
{
    public async Task Consume(ConsumeContext<InstitutionProfilePublished> context)
    {
        var (version, publishedAt, profile) = context.Message;
        var content = JsonSerializer.Serialize(profile, ProfileJson.Options);
        var stored = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO profile_snapshots (version, published_at, content) VALUES ({version}, {publishedAt}, {content}::jsonb) ON CONFLICT (version) DO NOTHING",
            context.CancellationToken);
        var current = await db.Set<ProfileSnapshot>().MaxAsync(s => s.Version, context.CancellationToken);
        if (stored == 0) log.LogInformation("Institution profile version {Version} was already held", version);
        else if (current > version) log.LogInformation("Institution profile version {Version} arrived after {Current}: kept as history only", version, current);
        else log.LogInformation("Institution profile version {Version} is now current", version);
    }
}
