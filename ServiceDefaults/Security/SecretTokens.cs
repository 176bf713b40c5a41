using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;

namespace Harbour.ServiceDefaults.Security;

// The secret a single-use link carries (an invitation, a department's acknowledge link): 256 random bits as 43 base64url
// characters. Only its SHA-256 is kept, so a database dump opens no link.
public static class SecretTokens
{
    public static string New() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token));

    // What New makes: anything else is not a link Harbour made, and is not looked up.
    public static bool LooksLikeToken(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
