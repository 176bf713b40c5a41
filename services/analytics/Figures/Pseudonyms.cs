using System.Security.Cryptography;
using System.Text;

namespace Harbour.Analytics.Figures;

// The keys analytics stores instead of other services' ids: HMAC-SHA-256 of the id under analytics' own key
// (Harbour:AnalyticsKey, a secret parameter no other service holds), cut to 128 bits. The same id always gives the same key,
// so a redelivered event is recognised and a closure finds its report; but neither this database nor another service's can
// join a row here to a case or a report without that key.
public sealed class Pseudonyms(IConfiguration configuration)
{
    readonly byte[] key = Encoding.UTF8.GetBytes(configuration["Harbour:AnalyticsKey"] is { Length: >= 32 } value ? value
        : throw new InvalidOperationException("Harbour:AnalyticsKey must be set to a secret of at least 32 characters."));

    public Guid Of(Guid id) => new(HMACSHA256.HashData(key, id.ToByteArray())[..16]);
}
