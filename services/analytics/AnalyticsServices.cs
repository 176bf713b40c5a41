using Harbour.ServiceDefaults.Security;
using Harbour.ServiceDefaults;
using Harbour.Analytics.Consumers;
using Harbour.Analytics.Figures;
using Harbour.Profile;
using Harbour.Staff;

namespace Harbour.Analytics;

// What analytics is made of: its facts, the events it keeps them from, the profile it names them by, the pages and staff sign-in.
public static class AnalyticsServices
{
    public static IHostApplicationBuilder AddAnalyticsServices(this IHostApplicationBuilder builder)
    {
        builder.AddDatabase<AnalyticsDbContext>("analyticsdb");
        builder.AddMessaging(bus =>
        {
            bus.AddConsumer<ReportSubmittedConsumer>();
            bus.AddConsumer<CaseClosedConsumer>();
            bus.AddConsumer<CaseReopenedConsumer>();
            bus.AddConsumer<ReferralsConsumer>();
            bus.AddConsumer<CaseworkConsumer>();
            bus.AddProfileSnapshots<AnalyticsDbContext>();
            bus.AddEndedSessions<AnalyticsDbContext>();
        });
        builder.Services.AddSingleton<Pseudonyms>();
        builder.Services.AddLearningSealer();
        builder.Services.AddScoped<Dashboard>();
        builder.Services.AddHarbourPages();
        builder.AddStaffSignIn<AnalyticsDbContext>();
        return builder;
    }
}
