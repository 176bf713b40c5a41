using Harbour.Analytics.Consumers;
using Harbour.Profile;
using Harbour.Staff;

namespace Harbour.Analytics;

// What analytics is made of: its counts, the events it counts, the profile it names them by, staff sign-in.
public static class AnalyticsServices
{
    public static IHostApplicationBuilder AddAnalyticsServices(this IHostApplicationBuilder builder)
    {
        builder.AddDatabase<AnalyticsDbContext>("analyticsdb");
        builder.AddMessaging(bus =>
        {
            bus.AddConsumer<ReportSubmittedConsumer>();
            bus.AddProfileSnapshots<AnalyticsDbContext>();
            bus.AddEndedSessions<AnalyticsDbContext>();
        });
        builder.AddStaffSignIn<AnalyticsDbContext>();
        return builder;
    }
}
