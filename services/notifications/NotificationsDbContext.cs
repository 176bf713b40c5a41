using Harbour.Notifications.Departments;
using Harbour.Notifications.Email;
using Harbour.ServiceDefaults.Outbox;
using Harbour.Profile;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Notifications;

public sealed class NotificationsDbContext(DbContextOptions<NotificationsDbContext> options) : DbContext(options)
{
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<DepartmentAlertRecord> DepartmentAlerts => Set<DepartmentAlertRecord>();
    public DbSet<AcknowledgeLink> AcknowledgeLinks => Set<AcknowledgeLink>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        // One email per purpose: a redelivered event finds its key taken and sends nothing.
        model.Entity<Delivery>().HasIndex(d => d.Key).IsUnique();
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
        model.AddProfileSnapshots();
        model.AddOutbox();
    }
}
