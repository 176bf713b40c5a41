using System.Collections.Concurrent;

namespace Harbour.Cases.Staff;

// Repeated failed sign-ins for one account from one client are slowed down, never locked out: a lockout lets anyone who
// knows a case manager's address keep them out of their cases. After SignIn:FreeFailures failures (5) within 15 minutes,
// each further attempt waits 1, 2, 4... seconds, up to SignIn:MaxDelay (30 s), before it is even checked; a success
// clears the count. The same for an address with no account, so the delay says nothing about who has one.
// (Per process: with several replicas an attacker gets each replica's allowance, still slowed down on every one.)
public sealed class SignInThrottle(IConfiguration configuration, TimeProvider clock)
{
    static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    readonly int freeFailures = configuration.GetValue("SignIn:FreeFailures", 5);
    readonly TimeSpan maxDelay = configuration.GetValue("SignIn:MaxDelay", TimeSpan.FromSeconds(30));
    readonly ConcurrentDictionary<string, (int Count, DateTimeOffset First)> failures = new();

    public TimeSpan DelayFor(string email, string client)
    {
        if (!failures.TryGetValue(Key(email, client), out var seen) || clock.GetUtcNow() - seen.First > Window) return TimeSpan.Zero;
        var over = seen.Count - freeFailures;
        return over < 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(Math.Pow(2, over), maxDelay.TotalSeconds));
    }

    public void Failed(string email, string client)
    {
        var now = clock.GetUtcNow();
        failures.AddOrUpdate(Key(email, client), (1, now), (_, seen) => now - seen.First > Window ? (1, now) : (seen.Count + 1, seen.First));
        if (failures.Count > 10_000)
            foreach (var old in failures.Where(f => now - f.Value.First > Window)) failures.TryRemove(old.Key, out _);
    }

    public void Succeeded(string email, string client) => failures.TryRemove(Key(email, client), out _);

    static string Key(string email, string client) => $"{email.ToUpperInvariant()}|{client}";

    // The client as the gateway saw it: the last X-Forwarded-For entry is the one the gateway added (earlier ones are the
    // client's own claims); straight to the service, the connection's address.
    public static string ClientOf(HttpRequest request) =>
        request.Headers["X-Forwarded-For"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .LastOrDefault() ?? request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
