using System.Collections.Concurrent;

namespace Harbour.Cases.Staff;

// Repeated failed sign-ins for one account from one client are slowed down, never locked out: a lockout lets anyone who
// knows a case manager's address keep them out of their cases. After SignIn:FreeFailures failures (5) within 15 minutes,
// each further attempt waits 1, 2, 4... seconds, up to SignIn:MaxDelay (30 s), before it is even checked; a success
// clears the count. The same for an address with no account, so the delay says nothing about who has one. An attempt
// counts as a failure from the moment it starts, so guesses sent all at once wait in turn rather than together, and no
// more than two attempts for one address from one client are checked at a time: more are refused at once (still
// counted), so waiting attempts cannot be piled up in parallel either.
// (Per process: with several replicas an attacker gets each replica's allowance, still slowed down on every one.)
public sealed class SignInThrottle(IConfiguration configuration, TimeProvider clock)
{
    static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    readonly int freeFailures = configuration.GetValue("SignIn:FreeFailures", 5);
    readonly TimeSpan maxDelay = configuration.GetValue("SignIn:MaxDelay", TimeSpan.FromSeconds(30));
    readonly ConcurrentDictionary<string, (int Count, DateTimeOffset First)> failures = new();

    // How long the next attempt would wait: the longer of two waits, for this address from this client, and for this
    // address from anywhere (with ten times the allowance), so that changing address does not buy unlimited guesses.
    public TimeSpan DelayFor(string email, string client) => Longer(
        DelayAfter(failures.TryGetValue(Key(email, client), out var one) && clock.GetUtcNow() - one.First <= Window ? one.Count : 0, freeFailures),
        DelayAfter(failures.TryGetValue(Key(email, "*"), out var all) && clock.GetUtcNow() - all.First <= Window ? all.Count : 0, freeFailures * 10));

    // An attempt begins: it is counted (as a failure, until Succeeded says otherwise) and told how long to wait first,
    // from the attempts counted before it, or that too many are running for the address. Dispose it when it is over.
    public Attempt Attempt(string email, string client)
    {
        var now = clock.GetUtcNow();
        var delay = Longer(DelayAfter(Count(Key(email, client), now) - 1, freeFailures), DelayAfter(Count(Key(email, "*"), now) - 1, freeFailures * 10));
        Forget(now);
        // Per client: a limit per address alone would let a stranger keep its owner out.
        var address = Key(email, client);
        var running = this.running.AddOrUpdate(address, 1, (_, n) => n + 1);
        return new Attempt(delay, running > MaxRunning, () =>
        {
            if (this.running.AddOrUpdate(address, 0, (_, n) => n - 1) <= 0) this.running.TryRemove(new(address, 0));
        });
    }

    const int MaxRunning = 2;
    readonly ConcurrentDictionary<string, int> running = new();

    int Count(string key, DateTimeOffset now) =>
        failures.AddOrUpdate(key, (1, now), (_, seen) => now - seen.First > Window ? (1, now) : (seen.Count + 1, seen.First)).Count;

    void Forget(DateTimeOffset now)
    {
        if (failures.Count <= MaxKeys) return;
        foreach (var old in failures.Where(f => now - f.Value.First > Window)) failures.TryRemove(old.Key, out _);
        // Still full (a flood of made-up addresses): forget the oldest tenth rather than grow without end.
        foreach (var old in failures.OrderBy(f => f.Value.First).Take(MaxKeys / 10).ToList()) failures.TryRemove(old.Key, out _);
    }

    public void Succeeded(string email, string client)
    {
        failures.TryRemove(Key(email, client), out _);
        failures.TryRemove(Key(email, "*"), out _);
    }

    const int MaxKeys = 10_000;

    TimeSpan DelayAfter(int earlierFailures, int free)
    {
        var over = earlierFailures - free;
        return over < 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(Math.Pow(2, over), maxDelay.TotalSeconds));
    }

    static TimeSpan Longer(TimeSpan a, TimeSpan b) => a > b ? a : b;

    // Addresses are kept as a hash of what was typed (at most 256 characters are ever looked at).
    static string Key(string email, string client) =>
        $"{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(email.ToUpperInvariant())))}|{client}";

    // The client as the gateway saw it: the last X-Forwarded-For entry is the one the gateway added (earlier ones are the
    // client's own claims); straight to the service, the connection's address.
    public static string ClientOf(HttpRequest request) =>
        request.Headers["X-Forwarded-For"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .LastOrDefault() ?? request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}

/// <summary>One sign-in attempt under way: how long it waits before it is checked, or that too many are running for the
/// address (refuse it at once).</summary>
public sealed class Attempt(TimeSpan delay, bool tooMany, Action end) : IDisposable
{
    public TimeSpan Delay => delay;
    public bool TooMany => tooMany;
    public const string TooManyMessage = "Too many attempts to sign in to this account are under way. Wait a minute, then try again.";
    public void Dispose() => end();
}
