using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Harbour.ServiceDefaults.Outbox;

// How far behind the outbox is: an old unsent row means the broker has been away, or the dispatcher stopped.
public sealed class OutboxHealthCheck<TContext>(TContext db, IConfiguration configuration, TimeProvider clock) : IHealthCheck
    where TContext : DbContext
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var unsent = db.Set<OutboxMessage>().Where(m => m.SentAt == null);
        var count = await unsent.CountAsync(cancellationToken);
        var oldest = count == 0 ? (DateTimeOffset?)null : await unsent.MinAsync(m => m.CreatedAt, cancellationToken);
        var age = oldest is null ? TimeSpan.Zero : clock.GetUtcNow() - oldest.Value;
        var data = new Dictionary<string, object> { ["unsent"] = count, ["oldestAgeSeconds"] = (long)age.TotalSeconds };
        var alertAfter = configuration.GetValue("Outbox:AlertAfter", TimeSpan.FromMinutes(5));
        return age > alertAfter
            ? HealthCheckResult.Degraded($"{count} events unsent, the oldest for {age:g}", data: data)
            : HealthCheckResult.Healthy($"{count} events unsent", data);
    }
}
