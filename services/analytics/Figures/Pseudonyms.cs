using System.Security.Cryptography;
using System.Text;

namespace Harbour.Analytics.Figures;

// The keys analytics stores instead of other services' ids: HMAC-SHA-256 of the id under analytics' own key
// (Harbour:AnalyticsKey, a secret parameter no other service holds), cut to 128 bits. The same id always gives the same key,
// so a redelivered event is recognised and a closure finds its report; but neither this database nor another service's can
// join a row here to a case or a report without that key.
// The key rotates (docs/operations.md) without the ids, which analytics never keeps: a pseudonym made under the earlier
// keys is made again under the next one, as HMAC of the pseudonym, so that every stored value moves forward in place
// (PseudonymRotation) and an event arriving later is worked through every key in turn to the same value. Harbour:EarlierAnalyticsKeys
// names the keys before the current one, oldest first, comma-separated: after a rotation, a copy of the database and any
// one key no longer join a row to an id.
public sealed class Pseudonyms
{
    readonly byte[][] keys;

    public Pseudonyms(IConfiguration configuration)
    {
        var current = configuration["Harbour:AnalyticsKey"] is { Length: >= 32 } value ? value
            : throw new InvalidOperationException("Harbour:AnalyticsKey must be set to a secret of at least 32 characters.");
        var earlier = (configuration["Harbour:EarlierAnalyticsKeys"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (earlier.Any(k => k.Length < 32))
            throw new InvalidOperationException("Every key of Harbour:EarlierAnalyticsKeys must be a secret of at least 32 characters.");
        keys = [.. earlier.Append(current).Select(Encoding.UTF8.GetBytes)];
        if (keys.Select(Convert.ToHexString).Distinct().Count() != keys.Length)
            throw new InvalidOperationException("Harbour:EarlierAnalyticsKeys repeats a key, or names the current one.");
        KeyIds = [.. keys.Select(IdOf)];
    }

    // Each key's id, oldest first: 8 hex digits that say nothing about the key (HKDF of it), as the database records them.
    public IReadOnlyList<string> KeyIds { get; }

    // The id's pseudonym under every key, oldest first.
    public Guid Of(Guid id)
    {
        var pseudonym = Under(0, id);
        for (var next = 1; next < keys.Length; next++) pseudonym = Under(next, pseudonym);
        return pseudonym;
    }

    // A pseudonym made under the keys before this one, made again under it (the step a rotation takes for each stored value).
    public Guid Under(int key, Guid value) => new(HMACSHA256.HashData(keys[key], value.ToByteArray())[..16]);

    static string IdOf(byte[] key) =>
        Convert.ToHexStringLower(HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 4, info: "harbour analytics key id v1"u8.ToArray()));
}
