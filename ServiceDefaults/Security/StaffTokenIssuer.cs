using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Harbour.ServiceDefaults.Security;

// The one place staff tokens are made, in the one service given Harbour:StaffKey (cases). The secret derives an ECDSA
// P-256 key (ES256): tokens are signed with its private half; every other service checks them with the public half, read
// from cases' key document, so a service that can read a token can never make one (OWASP ASVS 5.0 V9.1.1, V9.1.2).
// A new secret makes a new key (its id is a hash of the public key): tokens signed with the old one stop working.
public sealed class StaffTokenIssuer
{
    readonly ECDsaSecurityKey signing;

    public StaffTokenIssuer(IConfiguration configuration)
    {
        var secret = configuration["Harbour:StaffKey"];
        if (string.IsNullOrWhiteSpace(secret) || secret.Length < 32)
            throw new InvalidOperationException("Harbour:StaffKey must be a secret of at least 32 characters.");
        var ecdsa = DeriveKey(Encoding.UTF8.GetBytes(secret));
        var publicKey = ecdsa.ExportParameters(includePrivateParameters: false).Q;
        var id = Base64UrlEncoder.Encode(SHA256.HashData([.. publicKey.X!, .. publicKey.Y!])[..12]);
        signing = new ECDsaSecurityKey(ecdsa) { KeyId = id };
        VerifyingKey = new ECDsaSecurityKey(ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = publicKey })) { KeyId = id };
    }

    /// <summary>The public half: what cases checks its own tokens with, and publishes for the other services.</summary>
    public ECDsaSecurityKey VerifyingKey { get; }

    /// <summary>The public key as a JSON Web Key Set (RFC 7517): <c>{"keys":[{"kty":"EC","crv":"P-256","x":..,"y":..,"kid":..}]}</c>.</summary>
    public object KeySet()
    {
        var q = VerifyingKey.ECDsa.ExportParameters(false).Q;
        return new
        {
            keys = new[]
            {
                new { kty = "EC", crv = "P-256", use = "sig", alg = SecurityAlgorithms.EcdsaSha256, kid = VerifyingKey.KeyId,
                    x = Base64UrlEncoder.Encode(q.X), y = Base64UrlEncoder.Encode(q.Y) },
            },
        };
    }

    /// <summary>A token for a session that has just started: subject, display name, session id ("sid") and roles, valid
    /// for <see cref="StaffAuthentication.Lifetime"/> (8 hours) whatever happens to the session.</summary>
    public string Create(string userId, string name, IEnumerable<string> roles, Guid sessionId, TimeProvider clock)
    {
        var claims = new List<Claim> { new("sub", userId), new("name", name), new("sid", sessionId.ToString()) };
        claims.AddRange(roles.Select(role => new Claim("role", role)));
        var now = clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = StaffAuthentication.Issuer,
            Audience = StaffAuthentication.Issuer,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + StaffAuthentication.Lifetime,
            SigningCredentials = new SigningCredentials(signing, SecurityAlgorithms.EcdsaSha256),
        });
    }

    // The private scalar comes from the secret through HKDF; the rare value outside the curve's order is skipped by
    // deriving again with a counter.
    static ECDsa DeriveKey(byte[] secret)
    {
        for (byte attempt = 0; ; attempt++)
        {
            var d = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: [.. "harbour staff token signing v2"u8, attempt]);
            try
            {
                return ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
            }
            catch (CryptographicException) when (attempt < 8)
            {
            }
        }
    }
}
