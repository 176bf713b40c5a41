namespace Harbour.Testing;

// A clock moved forward from now: what a scheduled job sees days later.
public sealed class LaterClock(TimeSpan by) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + by;
}

// A clock stopped at one moment.
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

// A clock the test moves forward while the service runs.
public sealed class MovableClock : TimeProvider
{
    public TimeSpan By { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + By;
}
