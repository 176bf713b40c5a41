using System.Security.Cryptography;
using System.Text;

namespace Harbour.Intake.Reports;

// An anonymous reporter's only key back to their report: 128 random bits, shown once, stored as a hash.
public static class Receipt
{
    const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32: no I, L, O or U to misread

    public static (string Text, byte[] Hash) New()
    {
        var bytes = RandomNumberGenerator.GetBytes(16);
        var text = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5) text.Append(Alphabet[(buffer >> (bits -= 5)) & 31]);
        }
        if (bits > 0) text.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        var grouped = string.Join('-', text.ToString().Chunk(4).Select(group => new string(group)));
        return (grouped, Hash(grouped));
    }

    public static byte[] Hash(string receipt)
    {
        var normalised = new string(receipt.ToUpperInvariant().Where(char.IsLetterOrDigit).ToArray());
        return SHA256.HashData(Encoding.ASCII.GetBytes(normalised));
    }

    public static bool Matches(string receipt, byte[] hash) => CryptographicOperations.FixedTimeEquals(Hash(receipt), hash);
}
