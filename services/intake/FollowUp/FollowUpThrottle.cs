using System.Threading.RateLimiting;

namespace Harbour.Intake.FollowUp;

// Receipts carry 128 random bits, so guessing one is hopeless; this keeps it so and keeps the logs quiet. Only wrong
// attempts count, per reference: a reporter with the right receipt is never turned away, whoever else tried. The
// gateway does not pass on the reporter's address, so nothing here is keyed on one.
public sealed class FollowUpThrottle(IConfiguration configuration)
{
    readonly PartitionedRateLimiter<string> failures = PartitionedRateLimiter.Create<string, string>(reference =>
        RateLimitPartition.GetFixedWindowLimiter(reference, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = configuration.GetValue("FollowUp:AttemptsPerReference", 10),
            Window = configuration.GetValue("FollowUp:AttemptWindow", TimeSpan.FromMinutes(15)),
        }));

    // False once a reference has had too many wrong attempts in the window.
    public bool CountFailure(string reference)
    {
        using var lease = failures.AttemptAcquire(Normalise(reference));
        return lease.IsAcquired;
    }

    public static string Normalise(string? reference) => (reference ?? "").Trim().ToUpperInvariant();
}
