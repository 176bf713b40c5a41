using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Harbour.EndToEnd.Tests;

// The certificates of the local and test servers (AppHost/servers/certificates.sh). The services trust its authority for all
// their outgoing TLS, so it may vouch for loopback names only and nobody keeps its key; the server certificate is made again
// before it expires (docs/operations.md, TLS to the servers).
public sealed class LocalCertificateTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("harbour-certificates-").FullName;
    string ServerCertificate => Path.Combine(folder, "server.crt");
    string Authority => Path.Combine(folder, "trust", "harbour-local-authority.crt");

    [Fact, System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task TheAuthorityVouchesForLoopbackNamesOnlyAndItsKeyIsGone()
    {
        await MakeAsync();

        using var authority = X509CertificateLoader.LoadCertificateFromFile(Authority);
        var constraints = authority.Extensions["2.5.29.30"].ShouldNotBeNull("the authority has name constraints");
        constraints.Critical.ShouldBeTrue();
        new AsnEncodedData(constraints.Oid, constraints.RawData).Format(multiLine: true)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ShouldBe(["Permitted:", "DNS:localhost", "IP:127.0.0.0/255.0.0.0", "IP:0:0:0:0:0:0:0:1/FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF"]);
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(Path.GetFileName)
            .Where(name => name!.EndsWith(".key")).ShouldBe(["server.key"], "no key but the server's is left behind");
        (File.GetUnixFileMode(Path.Combine(folder, "server.key")) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead))
            .ShouldBe(UnixFileMode.None, "the server's key is its owner's alone");
        ChainsToTheAuthority();

        var before = await File.ReadAllBytesAsync(ServerCertificate, TestContext.Current.CancellationToken);
        await MakeAsync();
        (await File.ReadAllBytesAsync(ServerCertificate, TestContext.Current.CancellationToken)).ShouldBe(before, "a current certificate is kept");
    }

    [Fact]
    public async Task AServerCertificateNearItsEndIsMadeAgainWithANewAuthority()
    {
        await MakeAsync();
        var oldAuthority = await File.ReadAllTextAsync(Authority, TestContext.Current.CancellationToken);
        // The server certificate has 10 days left.
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        using (var ending = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256)
                   .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-815), DateTimeOffset.UtcNow.AddDays(10)))
            await File.WriteAllTextAsync(ServerCertificate, ending.ExportCertificatePem(), TestContext.Current.CancellationToken);

        await MakeAsync();

        using var renewed = X509CertificateLoader.LoadCertificateFromFile(ServerCertificate);
        renewed.NotAfter.ShouldBeGreaterThan(DateTime.Now.AddDays(800));
        (await File.ReadAllTextAsync(Authority, TestContext.Current.CancellationToken)).ShouldNotBe(oldAuthority, "the old authority's key is gone, so a new one signs");
        ChainsToTheAuthority();
    }

    [Fact]
    public async Task AnAuthorityMadeBeforeNameConstraintsIsReplacedAndAKeptKeyDeleted()
    {
        await MakeAsync();
        // An authority without name constraints, as an older version made it.
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var request = new CertificateRequest("CN=Harbour local authority", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
            using var unconstrained = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
            await File.WriteAllTextAsync(Authority, unconstrained.ExportCertificatePem(), TestContext.Current.CancellationToken);
        }

        await MakeAsync();

        using (var authority = X509CertificateLoader.LoadCertificateFromFile(Authority))
            authority.Extensions["2.5.29.30"].ShouldNotBeNull("made again, with name constraints");
        ChainsToTheAuthority();

        // The authority's key kept in authority/, as an older version kept it.
        Directory.CreateDirectory(Path.Combine(folder, "authority"));
        await File.WriteAllTextAsync(Path.Combine(folder, "authority", "authority.key"), "an old key", TestContext.Current.CancellationToken);
        var before = await File.ReadAllTextAsync(Authority, TestContext.Current.CancellationToken);

        await MakeAsync();

        Directory.Exists(Path.Combine(folder, "authority")).ShouldBeFalse("the kept key is deleted");
        (await File.ReadAllTextAsync(Authority, TestContext.Current.CancellationToken)).ShouldNotBe(before, "and an authority nobody holds a key to is made");
        ChainsToTheAuthority();
    }

    void ChainsToTheAuthority()
    {
        using var server = X509CertificateLoader.LoadCertificateFromFile(ServerCertificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificateFromFile(Authority));
        chain.Build(server).ShouldBeTrue(string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        server.MatchesHostname("localhost").ShouldBeTrue();
        server.MatchesHostname("127.0.0.1").ShouldBeTrue();
    }

    async Task MakeAsync()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Harbour.slnx"))) root = root.Parent!;
        using var script = Process.Start(new ProcessStartInfo("bash", [Path.Combine(root.FullName, "AppHost", "servers", "certificates.sh"), folder])
        {
            RedirectStandardError = true,
        })!;
        var errors = await script.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await script.WaitForExitAsync(TestContext.Current.CancellationToken);
        script.ExitCode.ShouldBe(0, errors);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
