using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Harbour.Intake.Reports;

namespace Harbour.Benchmarks;

// An anonymous reporter's receipt: making one (128 random bits, Crockford base32, its SHA-256 to store) and checking one
// typed back (normalised, hashed, compared in fixed time), against a bare SHA-256 of the same 26 characters.
public class ReceiptBenchmarks
{
    readonly (string Text, byte[] Hash) receipt = Receipt.New();
    byte[] characters = [];
    string typed = "";

    [GlobalSetup]
    public void TypeItBack()
    {
        characters = Encoding.ASCII.GetBytes(receipt.Text.Replace("-", ""));
        // As a reporter might type it on a phone: lower case, spaces for the dashes.
        typed = receipt.Text.ToLowerInvariant().Replace('-', ' ');
    }

    [Benchmark(Baseline = true)]
    public byte[] Sha256Alone() => SHA256.HashData(characters);

    [Benchmark]
    public (string, byte[]) NewReceipt() => Receipt.New();

    [Benchmark]
    public bool CheckTypedReceipt() => Receipt.Matches(typed, receipt.Hash);
}
