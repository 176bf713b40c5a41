using Harbour.Cases.Audit;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Outbox;
using Harbour.Profile;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Profile;

public sealed record ProfileChange(ProfileVersion? Saved, List<ProfileProblem> Problems)
{
    public bool Unchanged => Saved is null && Problems.Count == 0;
}

public static class ProfileChanges
{
    static readonly ProfileProblem Clash = new("", "Someone else changed the profile at the same time. Reload it, check their change and try again.");

    public static Task<ProfileVersion?> CurrentProfileAsync(this CasesDbContext db, CancellationToken ct) =>
        db.ProfileVersions.AsNoTracking().OrderByDescending(v => v.Version).FirstOrDefaultAsync(ct);

    // A valid change becomes the next version, its InstitutionProfilePublished event and an audit entry, in one
    // transaction. Two admins saving at once both aim at the same version number: the second is refused.
    // basedOn: the version the change was made from. The new version is numbered from it, so a save that landed in
    // between takes that number first and this one is refused rather than silently undoing it.
    public static async Task<ProfileChange> ChangeProfileAsync(this CasesDbContext db, InstitutionProfile profile,
        string actor, string summary, TimeProvider clock, CancellationToken ct, int? basedOn = null)
    {
        var problems = ProfileRules.Validate(profile);
        if (problems.Count > 0) return new(null, problems);
        var current = await db.CurrentProfileAsync(ct);
        if (basedOn is { } version && version != (current?.Version ?? 0)) return new(null, [Clash]);
        if (current is not null && current.Profile.SameAs(profile)) return new(null, []);

        var next = ProfileVersion.After(current, profile, actor, summary, clock);
        db.ProfileVersions.Add(next);
        db.Outbox.Add(OutboxMessage.For(next.ToPublished(), clock));
        db.AuditLog.Add(AuditEntry.By(actor, "profile.changed", clock, detail: $"version {next.Version}: {summary}"));
        try
        {
            await db.SaveChangesAsync(ct);
            return new(next, []);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            return new(null, [Clash]);
        }
    }

    // A whole file: if it does not read, or breaks any rule, nothing changes and every problem is listed.
    public static async Task<ProfileChange> ImportProfileAsync(this CasesDbContext db, string text, bool yaml, string actor,
        TimeProvider clock, CancellationToken ct)
    {
        var (profile, problem) = ProfileFile.Read(text, yaml);
        return profile is null
            ? new(null, [problem!])
            : await db.ChangeProfileAsync(profile, actor, $"Imported from a {(yaml ? "YAML" : "JSON")} file", clock, ct);
    }

    // At start-up: a new installation gets the example profile as version 1, and the current version is
    // published again so that a service whose database was reset catches up.
    public static async Task PublishInstitutionProfileAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        if (await db.CurrentProfileAsync(default) is { } current)
        {
            db.Outbox.Add(OutboxMessage.For(current.ToPublished(), clock));
            await db.SaveChangesAsync();
            return;
        }
        var change = await db.ChangeProfileAsync(DefaultProfile.Value, "system", "The example profile shipped with Harbour", clock, default);
        // Another replica starting at the same moment may have seeded it first; that is the same outcome.
        if (change.Problems.Count > 0 && change.Problems[0] != Clash)
            throw new InvalidOperationException($"The default profile is invalid: {change.Problems[0].Path} {change.Problems[0].Message}");
    }

    static bool SameAs(this InstitutionProfile a, InstitutionProfile b) =>
        ProfileFile.Write(a, yaml: false) == ProfileFile.Write(b, yaml: false);
}
