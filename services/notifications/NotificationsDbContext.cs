using Harbour.Notifications.Departments;
using Harbour.Notifications.Email;
using Harbour.Notifications.Templates;
using Harbour.ServiceDefaults.Outbox;
using Harbour.Profile;
using Harbour.Staff;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Notifications;

public sealed class NotificationsDbContext(DbContextOptions<NotificationsDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<DeliveryFailure> DeliveryFailures => Set<DeliveryFailure>();
    public DbSet<EmailTemplate> Templates => Set<EmailTemplate>();
    public DbSet<DepartmentAlertRecord> DepartmentAlerts => Set<DepartmentAlertRecord>();
    public DbSet<AcknowledgeLink> AcknowledgeLinks => Set<AcknowledgeLink>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        // One email per purpose: a redelivered event finds its key taken and sends nothing.
        model.Entity<Delivery>(delivery =>
        {
            delivery.HasIndex(d => d.Key).IsUnique();
            delivery.HasIndex(d => new { d.Purpose, d.SentAt });
            delivery.HasIndex(d => d.SentAt);
        });
        model.Entity<DeliveryFailure>(failure =>
        {
            failure.ToTable("delivery_failures");
            failure.HasIndex(f => f.Key);
            failure.HasIndex(f => f.At);
        });
        model.Entity<DepartmentAlertRecord>(entity =>
        {
            entity.ToTable("department_alerts");
            entity.HasKey(a => a.AlertId);
            entity.Property(a => a.AlertId).ValueGeneratedNever();
        });
        model.Entity<AcknowledgeLink>(entity =>
        {
            entity.ToTable("acknowledge_links");
            entity.HasKey(l => l.TokenHash);
            entity.HasIndex(l => l.AlertId);
        });
        model.Entity<EmailTemplate>(template =>
        {
            template.ToTable("email_templates");
            template.HasKey(t => t.Purpose);
        });
        model.AddProfileSnapshots();
        model.AddEndedSessions();
        model.AddOutbox();
    }
}
