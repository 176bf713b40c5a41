using Harbour.Notifications.Consumers;
using Harbour.Notifications.Email;
using Harbour.Profile;

namespace Harbour.Notifications;

// What notifications is made of: its delivery log, the events it emails about, the profile it follows, SMTP.
public static class NotificationsServices
{
    public static IHostApplicationBuilder AddNotificationsServices(this IHostApplicationBuilder builder)
    {
        builder.AddDatabase<NotificationsDbContext>("notificationsdb");
        builder.AddMessaging(bus =>
        {
            bus.AddConsumer<ReportSubmittedConsumer>();
            bus.AddConsumer<StaffInvitedConsumer>();
            bus.AddConsumer<CaseAssignedConsumer>();
            bus.AddConsumer<SlaBreachedConsumer>();
            bus.AddConsumer<ReporterMessageWaitingConsumer>();
            bus.AddProfileSnapshots<NotificationsDbContext>();
        });
        builder.AddEmail();
        return builder;
    }
}
