using Harbour.Analytics.Counts;
using Harbour.Analytics.Staff;
using Harbour.Profile;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Analytics;

public sealed class AnalyticsDbContext(DbContextOptions<AnalyticsDbContext> options) : DbContext(options)
{
    public DbSet<ReportCount> ReportCounts => Set<ReportCount>();
    public DbSet<CountedReport> CountedReports => Set<CountedReport>();
    public DbSet<EndedSession> EndedSessions => Set<EndedSession>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<ReportCount>().HasKey(c => new { c.Month, c.Dimension, c.Value });
        model.Entity<CountedReport>().HasKey(c => c.ReportId);
        model.Entity<EndedSession>(ended =>
        {
            ended.ToTable("ended_sessions");
            ended.HasKey(s => s.SessionId);
            ended.HasIndex(s => s.EndedAt);
        });
        model.AddProfileSnapshots();
    }
}
