using Harbour.Analytics.Counts;
using Harbour.Profile;
using Harbour.Staff;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Analytics;

public sealed class AnalyticsDbContext(DbContextOptions<AnalyticsDbContext> options) : DbContext(options)
{
    public DbSet<ReportCount> ReportCounts => Set<ReportCount>();
    public DbSet<CountedReport> CountedReports => Set<CountedReport>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<ReportCount>().HasKey(c => new { c.Month, c.Dimension, c.Value });
        model.Entity<CountedReport>().HasKey(c => c.ReportId);
        model.AddEndedSessions();
        model.AddProfileSnapshots();
    }
}
