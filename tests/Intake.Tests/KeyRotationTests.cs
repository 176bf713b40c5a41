using System.Net.Http.Json;
using System.Security.Cryptography;
using Harbour.Intake.Evidence;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Intake.Tests;

// Rotating the report key (docs/operations.md): every sealed value names its key; a service holding the next key opens what
// the old one sealed; the sweep seals every value of the database again with the new key, after which the old key can go.
public sealed class KeyRotationTests(IntakeFactory intake) : IClassFixture<IntakeFactory>
{
    const string Next = "the-next-report-key-0123456789abcdefghijklmnopqrstuvwxyz";

    static Sealer SealerWith(string key, string? others = null) => new(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Harbour:ReportKey"] = key, ["Harbour:OtherReportKeys"] = others }).Build());

    [Fact]
    public void AValueNamesItsKeyAndOpensWithThatKeyAlone()
    {
        var (old, next) = (SealerWith(IntakeFactory.ReportKey), SealerWith(Next, IntakeFactory.ReportKey));
        var text = old.Seal("I was followed home");
        var bytes = old.SealBytes("a photo"u8);

        text.ShouldStartWith($"v2.{old.KeyId}.");
        old.KeyId.ShouldMatch("^[0-9a-f]{8}$");
        next.KeyId.ShouldNotBe(old.KeyId);
        next.Open<string>(text).ShouldBe("I was followed home");
        next.OpenBytes(bytes).ShouldBe("a photo"u8.ToArray());
        next.IsCurrent(text).ShouldBeFalse();
        next.IsCurrent(next.Reseal(text)).ShouldBeTrue();
        // Why the next key reaches every replica (as another key) before any seals with it: a replica without it cannot read.
        Should.Throw<CryptographicException>(() => old.Open<string>(next.Reseal(text))).Message.ShouldContain(next.KeyId);
        next.OpenBytes(next.Reseal(bytes)).ShouldBe("a photo"u8.ToArray());

        var withoutTheOldKey = SealerWith(Next);
        Should.Throw<CryptographicException>(() => withoutTheOldKey.Open<string>(text)).Message.ShouldContain(old.KeyId);
        Should.Throw<CryptographicException>(() => withoutTheOldKey.OpenBytes(bytes));
        // Values sealed before key ids (v1: no id) open with whichever key held opens them.
        next.Open<string>("v1." + text[12..]).ShouldBe("I was followed home");
        next.OpenBytes(bytes[8..]).ShouldBe("a photo"u8.ToArray());
        Should.Throw<CryptographicException>(() => withoutTheOldKey.Open<string>("v1." + text[12..]));
        // A value changed by one bit, text or file, opens to nothing (AES-GCM's tag): it fails, loudly.
        var tampered = Convert.FromBase64String(text[12..]);
        tampered[^1] ^= 1;
        Should.Throw<CryptographicException>(() => old.Open<string>(text[..12] + Convert.ToBase64String(tampered)));
        var tamperedFile = (byte[])bytes.Clone();
        tamperedFile[^1] ^= 1;
        Should.Throw<CryptographicException>(() => old.OpenBytes(tamperedFile));
        // A submission sent again across the switch is still known as the same.
        next.IsFingerprintOf(old.Fingerprint("the same answers"u8), "the same answers"u8).ShouldBeTrue();
        next.IsFingerprintOf(old.Fingerprint("the same answers"u8), "other answers"u8).ShouldBeFalse();
        withoutTheOldKey.IsFingerprintOf(old.Fingerprint("the same answers"u8), "the same answers"u8).ShouldBeFalse();
    }

    [Fact]
    public async Task TheSweepSealsEveryValueOfTheDatabaseAgainWithTheNextKey()
    {
        var created = await (await intake.CreateClient().PostAsJsonAsync("/api/reports", ValidReports.Anonymous("rotation narrative: someone shouted abuse at me")))
            .Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var reference = created.GetProperty("reference").GetString();
        await using var scope = intake.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
        var report = await db.Reports.AsNoTracking().SingleAsync(r => r.Reference == reference);
        var old = scope.ServiceProvider.GetRequiredService<Sealer>();
        db.Evidence.Add(EvidenceFile.Seal(report.Id, new Attachment("photo.jpg", "image/jpeg", "a photo"u8.ToArray(), []), old, TimeProvider.System));
        await db.SaveChangesAsync();
        var next = SealerWith(Next, IntakeFactory.ReportKey);

        // The service's own hourly pass may be at work at start: a pass then looks at nothing and says so (null).
        Task<Resealed?> PassAsync() => Eventually.GetAsync(() => ResealSweep<IntakeDbContext>.RunAsync(db, next, CancellationToken.None),
            done => done is not null, "the pass to run");
        var first = (await PassAsync())!;

        first.Values.ShouldBeGreaterThanOrEqualTo(2, "the report's narrative and its file at least");
        first.Unopened.ShouldBe(0);
        var resealed = await db.Reports.AsNoTracking().SingleAsync(r => r.Id == report.Id);
        resealed.SealedDetails.ShouldStartWith($"v2.{next.KeyId}.");
        var file = await db.Evidence.AsNoTracking().SingleAsync(f => f.ReportId == report.Id);
        next.IsCurrent(file.SealedContent).ShouldBeTrue();
        SealerWith(Next).OpenBytes(file.SealedContent).ShouldBe("a photo"u8.ToArray(), "the old key is no longer needed");
        SealerWith(Next).Open<System.Text.Json.JsonElement>(resealed.SealedDetails).ToString().ShouldContain("rotation narrative");
        (await db.Reports.AsNoTracking().Select(r => r.SealedDetails).ToListAsync()).ShouldAllBe(text => text.StartsWith($"v2.{next.KeyId}."));
        (await PassAsync()).ShouldBe(new Resealed(0, 0), "nothing left to do");

        // A value under a key nobody gave the service is left as it is, and counted.
        db.Evidence.Add(EvidenceFile.Seal(report.Id, new Attachment("other.jpg", "image/jpeg", "x"u8.ToArray(), []),
            SealerWith("a-key-from-nowhere-0123456789abcdefghijklmnopqrstuvwxyz"), TimeProvider.System));
        await db.SaveChangesAsync();
        (await PassAsync()).ShouldBe(new Resealed(0, 1));
    }

    // Data Protection's keys (form tokens, the follow-up cookie) are kept in intake's database sealed with the report key: every
    // replica holding the key reads what another protected, and the rows alone (a dump) hold no key in clear.
    [Fact]
    public async Task DataProtectionKeysAreKeptSealedInTheDatabaseAndEveryReplicaReadsThem()
    {
        var token = intake.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("a follow-up session");

        await using (var scope = intake.Services.CreateAsyncScope())
        {
            var ring = await scope.ServiceProvider.GetRequiredService<IntakeDbContext>().DataProtectionKeys.AsNoTracking().Select(k => k.Xml!).ToListAsync();
            ring.ShouldNotBeEmpty();
            ring.ShouldAllBe(xml => xml.Contains("<encryptedSecret decryptorType=\"Harbour.ServiceDefaults.Security.SealedXmlDecryptor") && xml.Contains(">v2.")
                && !xml.Contains("<masterKey") && !xml.Contains("<value>"));
        }

        IDataProtector Replica(Sealer sealer)
        {
            var services = new ServiceCollection();
            services.AddDbContext<IntakeDbContext>(options => options.UseNpgsql(intake.ServiceDatabase).UseSnakeCaseNamingConvention());
            services.AddSingleton(sealer);
            services.AddSealedDataProtection<IntakeDbContext>("harbour-intake");
            // A replica that reads only: one that cannot open the ring would otherwise add a key of its own to it.
            services.AddDataProtection().DisableAutomaticKeyGeneration();
            return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
        }
        Replica(SealerWith(IntakeFactory.ReportKey)).Unprotect(token).ShouldBe("a follow-up session");
        Replica(SealerWith(Next, IntakeFactory.ReportKey)).Unprotect(token).ShouldBe("a follow-up session", "during a rotation");
        Should.Throw<CryptographicException>(() => Replica(SealerWith(Next)).Unprotect(token), "without the key that sealed the ring");

        // A key an earlier build kept in clear (as Data Protection keeps it without an encryptor) is sealed at start, and still reads.
        var earlier = new ServiceCollection();
        earlier.AddDbContext<IntakeDbContext>(options => options.UseNpgsql(intake.ServiceDatabase).UseSnakeCaseNamingConvention());
        earlier.AddDataProtection().SetApplicationName("harbour-intake").PersistKeysToDbContext<IntakeDbContext>();
        var earlierBuild = earlier.BuildServiceProvider();
        var made = earlierBuild.GetRequiredService<IKeyManager>().CreateNewKey(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(90));
        var old = earlierBuild.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("an earlier session");
        await using (var scope = intake.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
            Task<string> XmlAsync() => db.DataProtectionKeys.AsNoTracking().Where(k => k.FriendlyName == $"key-{made.KeyId}").Select(k => k.Xml!).SingleAsync();
            (await XmlAsync()).ShouldContain("<value>", customMessage: "in clear, as an earlier build kept it");

            (await SealedKeyRing.SealEarlierKeysAsync(db, SealerWith(IntakeFactory.ReportKey))).ShouldBeGreaterThanOrEqualTo(1);
            (await SealedKeyRing.SealEarlierKeysAsync(db, SealerWith(IntakeFactory.ReportKey))).ShouldBe(0, "once sealed, left as it is");
            (await XmlAsync()).ShouldNotContain("<value>");
        }
        Replica(SealerWith(IntakeFactory.ReportKey)).Unprotect(old).ShouldBe("an earlier session");
        Should.Throw<CryptographicException>(() => Replica(SealerWith(Next)).Unprotect(old), "the key is now read through its seal");
    }
}
