using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.RateLimiting;

namespace Harbour.Gateway.ReporterDoor;

// Each sender's share of the reporter's door: Gateway:SubmissionsPerClientPerMinute posts (default 30; a report takes
// three or four) per connection address, so that one sender flooding the door spends only their own share and a
// genuine reporter is still answered. Addresses are kept in memory only, as a keyed hash that changes with every start
// of the gateway, and only while the sender is active; they are never logged, stored or forwarded. An IPv6 address
// counts by its /64 network, which one device can fill with addresses. Behind a load balancer every sender would share
// its address: run the gateway where it sees the client's own address (docs/operations.md).
public sealed class SubmissionsPerClient : IDisposable
{
    readonly byte[] key = RandomNumberGenerator.GetBytes(32);
    readonly PartitionedRateLimiter<string> limiter;

    public SubmissionsPerClient(IConfiguration configuration)
    {
        var perMinute = configuration.GetValue("Gateway:SubmissionsPerClientPerMinute", 30);
        limiter = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetTokenBucketLimiter(client, _ => new()
        {
            TokenLimit = perMinute, TokensPerPeriod = perMinute, ReplenishmentPeriod = TimeSpan.FromMinutes(1), QueueLimit = 0,
            // The partitioned limiter replenishes its buckets itself, and forgets a sender whose bucket is full again.
            AutoReplenishment = false,
        }));
    }

    public bool TryTake(HttpContext context) =>
        context.Connection.RemoteIpAddress is not { } address || limiter.AttemptAcquire(Pseudonym(address)).IsAcquired;

    string Pseudonym(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetworkV6) bytes = bytes[..8];
        return Convert.ToBase64String(HMACSHA256.HashData(key, bytes));
    }

    public void Dispose() => limiter.Dispose();
}
