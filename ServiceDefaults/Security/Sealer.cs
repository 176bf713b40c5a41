using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Harbour.ServiceDefaults.Security;

// Narrative and identity are sealed (AES-256-GCM) by the application before they reach a database or
// the broker; only services given Harbour:ReportKey can open them. A database dump reveals neither.
public sealed class Sealer
{
    const string Version = "v1.";
    const int NonceSize = 12, TagSize = 16;
    readonly byte[] key, fingerprintKey;

    public Sealer(IConfiguration configuration)
    {
        var secret = configuration["Harbour:ReportKey"];
        if (string.IsNullOrWhiteSpace(secret) || secret.Length < 32)
            throw new InvalidOperationException("Harbour:ReportKey must be a secret of at least 32 characters.");
        key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, info: "harbour report sealing v1"u8.ToArray());
        fingerprintKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, info: "harbour fingerprint v1"u8.ToArray());
    }

    // A keyed hash (HMAC-SHA256, 32 bytes) that tells whether two contents are the same without keeping either: without
    // the report key nobody can test a guess (an email address, a short answer) against it.
    public byte[] Fingerprint(ReadOnlySpan<byte> content) => HMACSHA256.HashData(fingerprintKey, content);

    public string Seal<T>(T value) => Version + Convert.ToBase64String(SealBytes(JsonSerializer.SerializeToUtf8Bytes(value)));

    // Files (evidence) are sealed as bytes: nonce, tag, then the ciphertext.
    public byte[] SealBytes(ReadOnlySpan<byte> plain)
    {
        var sealedBytes = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize));
        return sealedBytes;
    }

    public byte[] OpenBytes(byte[] sealedBytes)
    {
        // Too short to hold a nonce and a tag: not something Harbour sealed (a cookie cut short, a forged value).
        if (sealedBytes.Length < NonceSize + TagSize) throw new CryptographicException("Not a sealed value.");
        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize),
            sealedBytes.AsSpan(NonceSize, TagSize), plain);
        return plain;
    }

    public T Open<T>(string sealedText)
    {
        if (!sealedText.StartsWith(Version, StringComparison.Ordinal))
            throw new CryptographicException("Unknown sealing version.");
        var plain = OpenBytes(Convert.FromBase64String(sealedText[Version.Length..]));
        return JsonSerializer.Deserialize<T>(plain) ?? throw new CryptographicException("Sealed value is empty.");
    }
}
