using Harbour.Notifications.Email;
using Harbour.Profile;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Notifications;

public sealed class NotificationsDbContext(DbContextOptions<NotificationsDbContext> options) : DbContext(options)
{
    public DbSet<Delivery> Deliveries => Set<Delivery>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        // One email per purpose: a redelivered event finds its key taken and sends nothing.
        model.Entity<Delivery>().HasIndex(d => d.Key).IsUnique();
        model.AddProfileSnapshots();
    }
}
