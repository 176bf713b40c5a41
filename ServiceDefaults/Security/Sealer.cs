using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.ServiceDefaults.Security;

// Narrative and identity are sealed (AES-256-GCM) by the application before they reach a database or
// the broker; only services given Harbour:ReportKey can open them. A database dump reveals neither.
//
// Keys rotate (docs/operations.md): Harbour:ReportKey seals; Harbour:OtherReportKeys (comma-separated) only open: the
// keys before it until every value is sealed again (ResealSweep), or the next one while it reaches every replica before
// it seals anything. Each value names the key that sealed it by a key id (8 hex digits worked out from the key, which
// says nothing about it), so it is opened with that key alone:
//   text:  "v2." + key id + "." + base64(nonce, tag, ciphertext)
//   bytes: "HSv2" + key id (4 bytes) + nonce (12) + tag (16) + ciphertext (files)
// Values sealed before key ids ("v1." text, bytes without the marker) are opened with whichever key opens them.
public sealed class Sealer
{
    const string Legacy = "v1.", Version = "v2.";
    const int NonceSize = 12, TagSize = 16, IdSize = 4;
    static ReadOnlySpan<byte> FileMarker => "HSv2"u8;

    sealed record Key(byte[] Id, byte[] Aes, byte[] Fingerprint)
    {
        public string Name { get; } = Convert.ToHexStringLower(Id);
    }

    /// <summary>The key of the service's <see cref="Sealer"/> for mail (Harbour:MailKey, Harbour:OtherMailKeys), held by cases
    /// and notifications only: what cases asks notifications to email in its own words (a department alert's body) crosses the
    /// broker sealed with it, as notifications holds no report key. Registered by <see cref="Sealing.AddMailSealer"/>.</summary>
    public const string Mail = "mail";

    /// <summary>The key of the service's <see cref="Sealer"/> for learning summaries (Harbour:LearningKey,
    /// Harbour:OtherLearningKeys), held by cases and analytics only: a closure's learning summary crosses the broker sealed
    /// with it. Registered by <see cref="Sealing.AddLearningSealer"/>.</summary>
    public const string Learning = "learning";

    readonly Key current;
    readonly Key[] keys;
    readonly string otherKeysSetting;

    /// <summary>The report key's sealer: Harbour:ReportKey seals, Harbour:OtherReportKeys open.</summary>
    public Sealer(IConfiguration configuration) : this(configuration, "Harbour:ReportKey", "Harbour:OtherReportKeys") { }

    /// <summary>A sealer whose key is the setting <paramref name="keySetting"/> (a secret of at least 32 characters) and whose
    /// other keys, which only open, are <paramref name="otherKeysSetting"/> (comma-separated).</summary>
    public Sealer(IConfiguration configuration, string keySetting, string otherKeysSetting)
    {
        this.otherKeysSetting = otherKeysSetting;
        current = KeyFrom(configuration[keySetting], keySetting);
        var others = (configuration[otherKeysSetting] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(secret => KeyFrom(secret, otherKeysSetting));
        keys = [current, .. others.Where(k => k.Name != current.Name).DistinctBy(k => k.Name)];
    }

    static Key KeyFrom(string? secret, string setting)
    {
        if (string.IsNullOrWhiteSpace(secret) || secret.Length < 32)
            throw new InvalidOperationException($"{setting} must hold secrets of at least 32 characters.");
        var material = Encoding.UTF8.GetBytes(secret);
        return new Key(HKDF.DeriveKey(HashAlgorithmName.SHA256, material, IdSize, info: "harbour report key id v2"u8.ToArray()),
            HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, info: "harbour report sealing v1"u8.ToArray()),
            HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, info: "harbour fingerprint v1"u8.ToArray()));
    }

    /// <summary>The id of the key that seals (8 lower-case hex digits), as sealed values and the logs name it.</summary>
    public string KeyId => current.Name;

    /// <summary>True while other keys are held (Harbour:OtherReportKeys for the report key): a rotation under way.</summary>
    public bool HoldsOtherKeys => keys.Length > 1;

    // A keyed hash (HMAC-SHA256, 32 bytes) that tells whether two contents are the same without keeping either: without
    // the report key nobody can test a guess (an email address, a short answer) against it. Made with the key that seals;
    // checked against every key held, so that a rotation does not make the same content look different.
    public byte[] Fingerprint(ReadOnlySpan<byte> content) => HMACSHA256.HashData(current.Fingerprint, content);

    /// <summary>True when <paramref name="fingerprint"/> is <paramref name="content"/>'s under any key held (compared in constant time).</summary>
    public bool IsFingerprintOf(byte[] fingerprint, ReadOnlySpan<byte> content)
    {
        foreach (var key in keys)
            if (CryptographicOperations.FixedTimeEquals(fingerprint, HMACSHA256.HashData(key.Fingerprint, content))) return true;
        return false;
    }

    public string Seal<T>(T value) => SealText(JsonSerializer.SerializeToUtf8Bytes(value));

    string SealText(ReadOnlySpan<byte> plain) => $"{Version}{current.Name}.{Convert.ToBase64String(Encrypt(current, plain))}";

    // Files (evidence) are sealed as bytes, the key's marker and id first.
    public byte[] SealBytes(ReadOnlySpan<byte> plain) => [.. FileMarker, .. current.Id, .. Encrypt(current, plain)];

    public byte[] OpenBytes(byte[] sealedBytes)
    {
        if (sealedBytes.AsSpan().StartsWith(FileMarker) && sealedBytes.Length >= FileMarker.Length + IdSize + NonceSize + TagSize
            && KeyNamed(Convert.ToHexStringLower(sealedBytes.AsSpan(FileMarker.Length, IdSize))) is { } key)
            return Decrypt(key, sealedBytes.AsSpan(FileMarker.Length + IdSize));
        return OpenWithAnyKey(sealedBytes);
    }

    public T Open<T>(string sealedText) =>
        JsonSerializer.Deserialize<T>(OpenText(sealedText)) ?? throw new CryptographicException("Sealed value is empty.");

    /// <summary>True when <paramref name="sealedText"/> is sealed with the key that seals now (nothing to re-seal).</summary>
    public bool IsCurrent(string sealedText) => sealedText.StartsWith($"{Version}{current.Name}.", StringComparison.Ordinal);

    /// <summary>True when <paramref name="sealedBytes"/> are sealed with the key that seals now.</summary>
    public bool IsCurrent(byte[] sealedBytes) =>
        sealedBytes.AsSpan().StartsWith(FileMarker) && sealedBytes.AsSpan(FileMarker.Length).StartsWith(current.Id);

    /// <summary>The same value sealed with the key that seals now. Throws CryptographicException when no key held opens it.</summary>
    public string Reseal(string sealedText) => IsCurrent(sealedText) ? sealedText : SealText(OpenText(sealedText));

    /// <summary>The same bytes sealed with the key that seals now.</summary>
    public byte[] Reseal(byte[] sealedBytes) => IsCurrent(sealedBytes) ? sealedBytes : SealBytes(OpenBytes(sealedBytes));

    byte[] OpenText(string sealedText)
    {
        if (sealedText.StartsWith(Legacy, StringComparison.Ordinal))
            return OpenWithAnyKey(Convert.FromBase64String(sealedText[Legacy.Length..]));
        if (!sealedText.StartsWith(Version, StringComparison.Ordinal) || sealedText.IndexOf('.', Version.Length) is not (> 0 and var dot))
            throw new CryptographicException("Unknown sealing version.");
        var id = sealedText[Version.Length..dot];
        var key = KeyNamed(id) ?? throw new CryptographicException($"Sealed with key {id}, which this service does not hold ({otherKeysSetting}).");
        return Decrypt(key, Convert.FromBase64String(sealedText[(dot + 1)..]));
    }

    Key? KeyNamed(string id) => keys.FirstOrDefault(k => k.Name == id);

    byte[] OpenWithAnyKey(byte[] sealedBytes)
    {
        foreach (var key in keys)
        {
            try
            {
                return Decrypt(key, sealedBytes);
            }
            catch (AuthenticationTagMismatchException)
            {
            }
        }
        throw new AuthenticationTagMismatchException("No key held opens this value.");
    }

    // Nonce, tag, then the ciphertext.
    static byte[] Encrypt(Key key, ReadOnlySpan<byte> plain)
    {
        var sealedBytes = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Aes, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize));
        return sealedBytes;
    }

    static byte[] Decrypt(Key key, ReadOnlySpan<byte> sealedBytes)
    {
        // Too short to hold a nonce and a tag: not something Harbour sealed (a cookie cut short, a forged value).
        if (sealedBytes.Length < NonceSize + TagSize) throw new CryptographicException("Not a sealed value.");
        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key.Aes, TagSize);
        aes.Decrypt(sealedBytes[..NonceSize], sealedBytes[(NonceSize + TagSize)..], sealedBytes.Slice(NonceSize, TagSize), plain);
        return plain;
    }
}

public static class Sealing
{
    /// <summary>Registers the mail key's sealer (<see cref="Sealer.Mail"/>), asked for as [FromKeyedServices(Sealer.Mail)].</summary>
    public static IServiceCollection AddMailSealer(this IServiceCollection services) =>
        services.AddKeyedSingleton(Sealer.Mail, (provider, _) =>
            new Sealer(provider.GetRequiredService<IConfiguration>(), "Harbour:MailKey", "Harbour:OtherMailKeys"));

    /// <summary>Registers the learning key's sealer (<see cref="Sealer.Learning"/>), asked for as [FromKeyedServices(Sealer.Learning)].</summary>
    public static IServiceCollection AddLearningSealer(this IServiceCollection services) =>
        services.AddKeyedSingleton(Sealer.Learning, (provider, _) =>
            new Sealer(provider.GetRequiredService<IConfiguration>(), "Harbour:LearningKey", "Harbour:OtherLearningKeys"));
}
