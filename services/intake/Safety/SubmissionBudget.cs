using System.Threading.RateLimiting;

namespace Harbour.Intake.Safety;

// Reports and form steps share one budget per minute (Reports:SubmissionsPerMinute, default 300), so that one sender cannot
// flood the door: the gateway does not pass on reporters' addresses, so there is none to key on. Reading pages is never
// limited. The form and the API each answer a refusal in their own way (the form keeps what was typed; the API says 429).
public sealed class SubmissionBudget(IConfiguration configuration) : IDisposable
{
    readonly TokenBucketRateLimiter limiter = new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = configuration.GetValue("Reports:SubmissionsPerMinute", 300),
        TokensPerPeriod = configuration.GetValue("Reports:SubmissionsPerMinute", 300),
        ReplenishmentPeriod = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
    });

    // Seconds a refused sender is asked to wait (Retry-After).
    public const int RetryAfterSeconds = 60;

    public bool TryTake() => limiter.AttemptAcquire().IsAcquired;

    public void Dispose() => limiter.Dispose();
}
