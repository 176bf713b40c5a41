using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.ServiceDefaults.Security;

// ASP.NET Core Data Protection (form tokens, the half-signed-in and follow-up cookies) with its key ring in the service's own
// database, so every replica of the service reads what another wrote, and each key's secret sealed (AES-256-GCM, with its key
// id) by one of the service's Sealers: a dump of the database alone cannot forge or read those cookies (issue: Data Protection
// keys encrypted at rest; ASVS 5.0 V11.2 and V13.3, secrets protected at rest). The ring is per service (its own application
// name and database): no other service reads it. A key of the ring sealed with a report or mail key since retired no longer
// opens; Data Protection then makes a new one, and what the old one protected (an open form, a follow-up session) must start
// again (docs/operations.md). Keys an earlier build kept in clear are sealed at start (SealEarlierKeysAsync).
public static class SealedKeyRing
{
    /// <summary>Data Protection for <paramref name="applicationName"/>, its ring in <typeparamref name="TContext"/>'s
    /// <c>data_protection_keys</c> table, each key sealed by the Sealer registered under <paramref name="sealerKey"/>
    /// (null: the report key's).</summary>
    public static IServiceCollection AddSealedDataProtection<TContext>(this IServiceCollection services, string applicationName,
        string? sealerKey = null) where TContext : DbContext, IDataProtectionKeyContext
    {
        services.AddSingleton(provider => new KeyRingSealer(sealerKey is null
            ? provider.GetRequiredService<Sealer>()
            : provider.GetRequiredKeyedService<Sealer>(sealerKey)));
        services.AddDataProtection().SetApplicationName(applicationName).PersistKeysToDbContext<TContext>();
        services.AddOptions<KeyManagementOptions>().Configure<KeyRingSealer>((options, sealer) =>
            options.XmlEncryptor = new SealingXmlEncryptor(sealer.Sealer));
        return services;
    }

    // Keys kept in clear by an earlier build (Data Protection never deletes a key, and reads with it after it expires) are sealed
    // in place, as Data Protection itself would have: each element it marks requiresEncryption becomes an encryptedSecret naming
    // the decryptor. Run at start, after the migrations; a key already sealed is left as it is, and a key changed meanwhile by
    // another replica is not overwritten. Returns how many keys were sealed.
    public static async Task<int> SealEarlierKeysAsync(DbContext db, Sealer sealer, CancellationToken ct = default)
    {
        var ring = db.Set<DataProtectionKey>();
        var sealedNow = 0;
        foreach (var key in await ring.AsNoTracking().Where(k => k.Xml != null && !k.Xml.Contains("encryptedSecret")).ToListAsync(ct))
        {
            var element = XElement.Parse(key.Xml!);
            var clear = element.Descendants().Where(e => (bool?)e.Attribute(RequiresEncryption) == true).ToList();
            if (clear.Count == 0) continue;
            foreach (var secret in clear)
            {
                var info = new SealingXmlEncryptor(sealer).Encrypt(new XElement(secret));
                secret.ReplaceWith(new XElement(EncryptedSecret, new XAttribute("decryptorType", info.DecryptorType.AssemblyQualifiedName!), info.EncryptedElement));
            }
            var (id, before, after) = (key.Id, key.Xml, element.ToString(SaveOptions.DisableFormatting));
            sealedNow += await ring.Where(k => k.Id == id && k.Xml == before).ExecuteUpdateAsync(k => k.SetProperty(x => x.Xml, after), ct);
        }
        return sealedNow;
    }

    static readonly XNamespace Ns = "http://schemas.asp.net/2015/03/dataProtection";
    static readonly XName RequiresEncryption = Ns + "requiresEncryption", EncryptedSecret = Ns + "encryptedSecret";
}

/// <summary>The Sealer that seals this service's Data Protection keys.</summary>
public sealed record KeyRingSealer(Sealer Sealer);

sealed class SealingXmlEncryptor(Sealer sealer) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(new XElement("sealed", sealer.Seal(plaintextElement.ToString(SaveOptions.DisableFormatting))), typeof(SealedXmlDecryptor));
}

// Made by Data Protection from the type named in the stored key (it passes the service provider).
sealed class SealedXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        XElement.Parse(services.GetRequiredService<KeyRingSealer>().Sealer.Open<string>(encryptedElement.Value));
}
