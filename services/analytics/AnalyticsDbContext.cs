using System.Linq.Expressions;
using Harbour.Analytics.Figures;
using Harbour.Profile;
using Harbour.Staff;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Analytics;

public sealed class AnalyticsDbContext(DbContextOptions<AnalyticsDbContext> options) : DbContext(options)
{
    public DbSet<ReportFact> Reports => Set<ReportFact>();
    public DbSet<ReportTally> Tallies => Set<ReportTally>();
    public DbSet<ClosureFact> Closures => Set<ClosureFact>();
    public DbSet<StepFact> Steps => Set<StepFact>();
    public DbSet<ReopeningFact> Reopenings => Set<ReopeningFact>();
    public DbSet<ReferralFact> Referrals => Set<ReferralFact>();
    public DbSet<UptakeFact> Uptakes => Set<UptakeFact>();
    public DbSet<BreachFact> Breaches => Set<BreachFact>();
    public DbSet<AlertFact> Alerts => Set<AlertFact>();
    public DbSet<AcknowledgementFact> Acknowledgements => Set<AcknowledgementFact>();
    public DbSet<MeetingFact> Meetings => Set<MeetingFact>();
    public DbSet<PseudonymKey> PseudonymKeys => Set<PseudonymKey>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<ReportFact>(report =>
        {
            report.HasKey(r => r.CaseKey);
            report.HasIndex(r => r.SubmittedOn);
        });
        // Read by slice, dimension and a range of days: the key's order.
        model.Entity<ReportTally>(tally =>
        {
            tally.ToTable("report_tallies");
            tally.HasKey(t => new { t.Slice, t.Dimension, t.Day, t.Value });
        });
        model.Entity<ClosureFact>(closure =>
        {
            closure.HasKey(c => c.ClosureKey);
            closure.HasIndex(c => c.SubmittedOn);
            closure.HasIndex(c => c.CaseKey);
            closure.Property(c => c.LearningSummary).HasMaxLength(4000);
            closure.HasMany(c => c.Steps).WithOne().HasForeignKey(s => s.ClosureKey);
        });
        model.Entity<StepFact>(step =>
        {
            step.HasKey(s => new { s.ClosureKey, s.Step });
            step.HasIndex(s => s.SubmittedOn);
        });
        model.Entity<ReopeningFact>().HasKey(r => new { r.CaseKey, r.ReopenedAt });
        model.Entity<ReferralFact>(referral =>
        {
            referral.HasKey(r => r.ReferralKey);
            referral.HasIndex(r => r.MadeOn);
        });
        model.Entity<UptakeFact>().HasKey(u => new { u.ReferralKey, u.RecordedAt });
        model.Entity<BreachFact>(breach =>
        {
            breach.HasKey(b => new { b.CaseKey, b.Step, b.DueOn });
            breach.HasIndex(b => b.DueOn);
        });
        model.Entity<AlertFact>(alert =>
        {
            alert.HasKey(a => a.AlertKey);
            alert.HasIndex(a => a.RequestedOn);
        });
        model.Entity<AcknowledgementFact>().HasKey(a => a.AlertKey);
        model.Entity<MeetingFact>(meeting =>
        {
            meeting.HasKey(m => m.MeetingKey);
            meeting.HasIndex(m => m.HeldOn);
        });
        model.Entity<PseudonymKey>(key =>
        {
            key.ToTable("pseudonym_keys");
            key.HasKey(k => k.Position);
            key.Property(k => k.Position).ValueGeneratedNever();
            key.Property(k => k.KeyId).HasMaxLength(8);
        });
        model.AddEndedSessions();
        model.AddProfileSnapshots();
    }

    /// <summary>Keeps a fact unless one <paramref name="same"/> is kept already (a redelivery): true when this call kept it.
    /// <paramref name="alsoAsync"/>, when given, runs in the same transaction once the fact is saved (what is worked out from
    /// it is kept with it or not at all). Two deliveries at once: the loser's insert breaks the key and is ignored. Throws
    /// InvalidOperationException, keeping nothing, when the fact's pseudonyms were made under other analytics keys than the
    /// database's (<paramref name="pseudonyms"/>; PseudonymRotation.HoldAsync).</summary>
    public Task<bool> KeepOnceAsync<T>(Pseudonyms pseudonyms, T fact, Expression<Func<T, bool>> same, CancellationToken ct, Func<Task>? alsoAsync = null)
        where T : class =>
        Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await Database.BeginTransactionAsync(ct);
            await PseudonymRotation.HoldAsync(this, pseudonyms, ct);
            if (await Set<T>().AnyAsync(same, ct)) return false;
            Add(fact);
            try
            {
                // Accepted only once committed: a retry after a failed commit saves the fact again.
                await SaveChangesAsync(acceptAllChangesOnSuccess: false, ct);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                ChangeTracker.Clear();
                return false;
            }
            if (alsoAsync is not null) await alsoAsync();
            await transaction.CommitAsync(ct);
            ChangeTracker.AcceptAllChanges();
            return true;
        });
}
