using Harbour.Cases.Audit;
using Harbour.Cases.Casework;
using Harbour.Cases.Departments;
using Harbour.Cases.Disclosures;
using Harbour.Cases.Legal;
using Harbour.Cases.Meetings;
using Harbour.Cases.Support;
using Harbour.Cases.Profile;
using Harbour.Cases.Staff;
using Harbour.ServiceDefaults.Outbox;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases;

public sealed class CasesDbContext(DbContextOptions<CasesDbContext> options) : IdentityDbContext<StaffUser>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Case> Cases => Set<Case>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<CaseMessage> Messages => Set<CaseMessage>();
    public DbSet<CaseEvidence> Evidence => Set<CaseEvidence>();
    public DbSet<ProfileVersion> ProfileVersions => Set<ProfileVersion>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<StaffSession> StaffSessions => Set<StaffSession>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<PassphraseReset> PassphraseResets => Set<PassphraseReset>();
    public DbSet<CaseInvolvement> Involvements => Set<CaseInvolvement>();
    public DbSet<CaseStep> Steps => Set<CaseStep>();
    public DbSet<TimelineEntry> Timeline => Set<TimelineEntry>();
    public DbSet<ChecklistItem> Checklist => Set<ChecklistItem>();
    public DbSet<CaseTask> Tasks => Set<CaseTask>();
    public DbSet<DepartmentAlert> Alerts => Set<DepartmentAlert>();
    public DbSet<Referral> Referrals => Set<Referral>();
    public DbSet<Meeting> Meetings => Set<Meeting>();
    public DbSet<LegalAdvice> LegalAdvice => Set<LegalAdvice>();
    public DbSet<Disclosure> Disclosures => Set<Disclosure>();
    public DbSet<Retention.Deletion> Deletions => Set<Retention.Deletion>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        // Trigrams: the queue's search by part of a reference is read from an index (a trusted extension: no superuser needed).
        model.HasPostgresExtension("pg_trgm");
        model.Entity<Case>(entity =>
        {
            // One case per report: a redelivered ReportSubmitted cannot open a second one.
            entity.HasIndex(c => c.ReportId).IsUnique();
            entity.HasIndex(c => c.Reference).IsUnique();
            entity.HasIndex(c => c.Reference, "ix_cases_reference_trigrams").HasDatabaseName("ix_cases_reference_trigrams").HasMethod("gin").HasOperators("gin_trgm_ops");
            entity.Property(c => c.Reference).HasMaxLength(32);
            entity.Property(c => c.Status).HasMaxLength(32);
            entity.HasIndex(c => c.AssigneeId);
            entity.Property(c => c.Version).IsRowVersion();
            // What the queue filters and sorts by.
            entity.HasIndex(c => c.Status);
            entity.HasIndex(c => c.SubmittedAt);
            entity.HasIndex(c => c.Teams).HasMethod("gin");
            entity.HasIndex(c => c.Categories).HasMethod("gin");
            entity.HasIndex(c => c.Tags).HasMethod("gin");
            entity.Property(c => c.NextStep).HasMaxLength(64);
            entity.Property(c => c.AwaitingAssignment).HasComputedColumnSql("assignee_id IS NULL AND status <> 'closed'", stored: true);
            // The queue's order (CaseQueue), so that its first page is read from the index, not sorted from every case.
            entity.HasIndex(c => new { c.AwaitingAssignment, c.NextDueOn, c.SubmittedAt, c.Reference }).IsDescending(true, false, false, false);
            entity.Property(c => c.AssigneeId).HasMaxLength(450);
            entity.Property(c => c.Outcome).HasMaxLength(64);
        });
        model.Entity<CaseStep>(entity =>
        {
            entity.ToTable("case_steps");
            entity.HasKey(s => new { s.CaseId, s.Step });
            entity.Property(s => s.Step).HasMaxLength(64);
            entity.Property(s => s.How).HasMaxLength(32);
            // The clocks still running, by when they are due: what the queue sorts by and what the breach job looks at.
            entity.HasIndex(s => s.DueOn).HasFilter("met_at IS NULL AND breached_at IS NULL");
        });
        model.Entity<ChecklistItem>(entity =>
        {
            entity.ToTable("case_checklist");
            entity.HasKey(i => new { i.CaseId, i.Action });
            entity.Property(i => i.Action).HasMaxLength(128);
            entity.Property(i => i.Decision).HasMaxLength(16);
        });
        model.Entity<CaseTask>(entity =>
        {
            entity.ToTable("case_tasks");
            entity.Property(t => t.Id).ValueGeneratedNever();
            entity.HasIndex(t => t.CaseId);
            entity.HasIndex(t => new { t.OwnerId, t.DueOn }).HasFilter("done_at IS NULL");
            entity.Property(t => t.OwnerId).HasMaxLength(450);
        });
        model.Entity<DepartmentAlert>(entity =>
        {
            entity.ToTable("department_alerts");
            entity.Property(a => a.Id).ValueGeneratedNever();
            entity.HasIndex(a => a.CaseId);
            entity.Property(a => a.DepartmentId).HasMaxLength(64);
            entity.Property(a => a.Purpose).HasMaxLength(16).HasDefaultValue(AlertPurposes.Inform);
            entity.Property(a => a.RequestedById).HasMaxLength(450);
            entity.Ignore(a => a.State);
            // The alerts still waiting for an acknowledgement: what the deadline watch looks at.
            entity.HasIndex(a => a.AcknowledgeBy).HasFilter("acknowledged_at IS NULL AND failed_at IS NULL AND reminded_at IS NULL");
        });
        model.Entity<Referral>(entity =>
        {
            entity.ToTable("case_referrals");
            entity.Property(r => r.Id).ValueGeneratedNever();
            entity.HasIndex(r => r.CaseId);
            entity.Property(r => r.ServiceId).HasMaxLength(64);
            entity.Property(r => r.How).HasMaxLength(32);
            entity.Property(r => r.Uptake).HasMaxLength(32);
            entity.Property(r => r.Helped).HasMaxLength(16);
        });
        model.Entity<Meeting>(entity =>
        {
            entity.ToTable("case_meetings");
            entity.Property(m => m.Id).ValueGeneratedNever();
            entity.HasIndex(m => m.CaseId);
            // What My work lists: each person's meetings still to come.
            entity.HasIndex(m => new { m.WithId, m.StartsAt });
            entity.Property(m => m.Format).HasMaxLength(16);
            entity.Property(m => m.Status).HasMaxLength(16);
            entity.Property(m => m.WithId).HasMaxLength(450);
            entity.Property(m => m.Where).HasMaxLength(500);
            entity.Property(m => m.Version).IsRowVersion();
        });
        model.Entity<LegalAdvice>(entity =>
        {
            entity.ToTable("case_legal_advice");
            entity.Property(a => a.Id).ValueGeneratedNever();
            entity.HasIndex(a => a.CaseId);
        });
        model.Entity<Disclosure>(entity =>
        {
            entity.ToTable("case_disclosures");
            entity.Property(d => d.Id).ValueGeneratedNever();
            entity.HasIndex(d => d.RecordedById);
            entity.Property(d => d.Channel).HasMaxLength(16);
            entity.Property(d => d.Status).HasMaxLength(16);
            entity.Property(d => d.RecordedById).HasMaxLength(450);
        });
        model.Entity<Retention.Deletion>(entity =>
        {
            entity.ToTable("deletions");
            entity.Property(d => d.Id).ValueGeneratedNever();
            entity.HasIndex(d => d.DeletedAt);
            entity.HasIndex(d => d.Reference);
            entity.Property(d => d.Reference).HasMaxLength(32);
            entity.Property(d => d.Kind).HasMaxLength(32);
            entity.Property(d => d.Rule).HasMaxLength(300);
        });
        model.Entity<TimelineEntry>(entity =>
        {
            entity.ToTable("case_timeline");
            entity.Property(t => t.Id).ValueGeneratedNever();
            entity.HasIndex(t => new { t.CaseId, t.At });
            entity.Property(t => t.Kind).HasMaxLength(32);
            entity.Property(t => t.Subject).HasMaxLength(450);
        });
        model.Entity<AuditEntry>(entity =>
        {
            // Made and kept by the audit role, not by these migrations (AppHost/DatabaseRoles.cs): this service may read and add.
            entity.ToTable("log", "audit", table => table.ExcludeFromMigrations());
            entity.HasIndex(a => a.CaseId);
            entity.HasIndex(a => a.At);
            // Worked out by the database once the entry has committed (audit.chain_pending), never by this service.
            entity.Property(a => a.PreviousHash).ValueGeneratedOnAddOrUpdate();
            entity.Property(a => a.Hash).ValueGeneratedOnAddOrUpdate();
            entity.Property(a => a.Screen).HasMaxLength(200);
        });
        model.Entity<CaseMessage>(entity =>
        {
            entity.ToTable("case_messages");
            entity.Property(m => m.Id).ValueGeneratedNever();
            entity.HasIndex(m => new { m.ReportId, m.At });
            entity.Property(m => m.From).HasMaxLength(16);
            entity.Property(m => m.Version).IsRowVersion();
        });
        model.Entity<CaseEvidence>(entity =>
        {
            entity.ToTable("case_evidence");
            entity.Property(e => e.Id).ValueGeneratedNever();
            entity.HasIndex(e => e.ReportId);
        });
        model.Entity<ProfileVersion>(entity =>
        {
            entity.HasKey(v => v.Version);
            entity.Property(v => v.Version).ValueGeneratedNever();
            entity.Property(v => v.Content).HasColumnType("jsonb");
        });
        model.Entity<StaffSession>(entity =>
        {
            entity.ToTable("staff_sessions");
            entity.Property(s => s.Id).ValueGeneratedNever();
            entity.HasIndex(s => s.UserId);
            entity.Property(s => s.UserId).HasMaxLength(450);
            entity.Property(s => s.EndReason).HasMaxLength(64);
        });
        model.Entity<CaseInvolvement>(entity =>
        {
            entity.ToTable("case_involvements");
            entity.HasKey(i => new { i.CaseId, i.UserId });
        });
        model.Entity<Invitation>(entity =>
        {
            entity.ToTable("staff_invitations");
            entity.Property(i => i.Id).ValueGeneratedNever();
            entity.HasIndex(i => i.TokenHash).IsUnique();
            entity.HasIndex(i => i.Email);
            entity.Property(i => i.Email).HasMaxLength(256);
        });
        model.Entity<PassphraseReset>(entity =>
        {
            entity.ToTable("staff_passphrase_resets");
            entity.HasKey(r => r.UserId);
            entity.HasIndex(r => r.TokenHash).IsUnique();
            entity.HasOne<StaffUser>().WithOne().HasForeignKey<PassphraseReset>(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        model.AddOutbox();
    }
}
