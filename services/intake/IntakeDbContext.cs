using Harbour.Intake.Evidence;
using Harbour.Intake.FollowUp;
using Harbour.Intake.Reports;
using Harbour.ServiceDefaults.Outbox;
using Harbour.Profile;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Intake;

public sealed class IntakeDbContext(DbContextOptions<IntakeDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Report> Reports => Set<Report>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<ConversationMessage> Messages => Set<ConversationMessage>();
    public DbSet<EvidenceFile> Evidence => Set<EvidenceFile>();
    public DbSet<SuggestedService> SuggestedServices => Set<SuggestedService>();
    public DbSet<FollowUpMeeting> Meetings => Set<FollowUpMeeting>();
    public DbSet<FollowUpSession> FollowUpSessions => Set<FollowUpSession>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasSequence<long>(Report.NumberSequence);
        model.Entity<Report>(report =>
        {
            report.HasIndex(r => r.Reference).IsUnique();
            report.HasIndex(r => r.SubmissionId).IsUnique().HasDatabaseName(ReportSubmission.SubmissionIndex);
            report.Property(r => r.Reference).HasMaxLength(32);
            report.Property(r => r.Kind).HasMaxLength(16);
            report.Property(r => r.Location).HasMaxLength(64);
            report.Property(r => r.ReporterRole).HasMaxLength(16);
            report.Property(r => r.Status).HasMaxLength(32);
        });
        model.Entity<EvidenceFile>(evidence =>
        {
            evidence.ToTable("evidence_files");
            evidence.HasIndex(e => e.ReportId);
            evidence.Property(e => e.FileName).HasMaxLength(64);
            evidence.Property(e => e.ContentType).HasMaxLength(64);
        });
        model.Entity<SuggestedService>(suggested =>
        {
            suggested.ToTable("suggested_services");
            suggested.Property(s => s.Id).ValueGeneratedNever();
            suggested.HasIndex(s => s.ReportId);
            suggested.Property(s => s.ServiceId).HasMaxLength(64);
        });
        model.Entity<FollowUpMeeting>(meeting =>
        {
            meeting.ToTable("follow_up_meetings");
            meeting.Property(m => m.Id).ValueGeneratedNever();
            meeting.HasIndex(m => m.ReportId);
            meeting.Property(m => m.Format).HasMaxLength(16);
            meeting.Property(m => m.Where).HasMaxLength(500);
        });
        model.Entity<FollowUpSession>(session =>
        {
            session.ToTable("follow_up_sessions");
            session.Property(s => s.Id).ValueGeneratedNever();
            session.HasIndex(s => s.ExpiresAt);
        });
        model.Entity<ConversationMessage>(message =>
        {
            message.ToTable("conversation_messages");
            message.Property(m => m.Id).ValueGeneratedNever();
            message.HasIndex(m => new { m.ReportId, m.At });
            message.Property(m => m.From).HasMaxLength(16);
        });
        model.AddOutbox();
        model.AddProfileSnapshots();
    }

    public async Task<long> NextReportNumberAsync(CancellationToken cancellationToken) =>
        await Database.SqlQueryRaw<long>($"SELECT nextval('{Report.NumberSequence}') AS \"Value\"")
            .SingleAsync(cancellationToken);
}
