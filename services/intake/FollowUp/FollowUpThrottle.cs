using System.Threading.RateLimiting;

namespace Harbour.Intake.FollowUp;

// Guessing a receipt must be hopeless: a few attempts per reference, and a ceiling for all references together.
// The gateway does not pass on the reporter's address, so nothing here is keyed on one.
public sealed class FollowUpThrottle(IConfiguration configuration)
{
    readonly PartitionedRateLimiter<string> perReference = PartitionedRateLimiter.Create<string, string>(reference =>
        RateLimitPartition.GetFixedWindowLimiter(reference, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = configuration.GetValue("FollowUp:AttemptsPerReference", 10),
            Window = configuration.GetValue("FollowUp:AttemptWindow", TimeSpan.FromMinutes(15)),
        }));

    readonly RateLimiter overall = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
    {
        TokenLimit = configuration.GetValue("FollowUp:AttemptsPerMinute", 120),
        TokensPerPeriod = configuration.GetValue("FollowUp:AttemptsPerMinute", 120),
        ReplenishmentPeriod = TimeSpan.FromMinutes(1),
    });

    public bool Allows(string reference)
    {
        using var forReference = perReference.AttemptAcquire(Normalise(reference));
        if (!forReference.IsAcquired) return false;
        using var forAll = overall.AttemptAcquire();
        return forAll.IsAcquired;
    }

    public static string Normalise(string? reference) => (reference ?? "").Trim().ToUpperInvariant();
}
