using Harbour.Profile;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Harbour.Cases.Profile;

// "profile-closures" in cases' /health: Degraded (still ready, answered 200) when the profile's bank holidays and
// closures run out within six months, so that the operator sees it on the dashboard before deadlines go wrong.
public sealed class ClosuresHealthCheck(CasesDbContext db, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var profile = (await db.CurrentProfileAsync(ct))?.Profile ?? DefaultProfile.Value;
        return WorkingDays.ClosuresRunningOut(profile.Closures, UkTime.Today(clock)) is { } warning
            ? HealthCheckResult.Degraded(warning)
            : HealthCheckResult.Healthy();
    }
}
