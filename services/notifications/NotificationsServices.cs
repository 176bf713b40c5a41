using Harbour.Notifications.Consumers;
using Harbour.Notifications.Departments;
using Harbour.Notifications.Email;
using Harbour.Notifications.Meetings;
using Harbour.ServiceDefaults.Outbox;
using Harbour.Profile;

namespace Harbour.Notifications;

// What notifications is made of: its delivery log, the events it emails about, the profile it follows, SMTP, the outbox
// that announces deliveries and acknowledgements, and the acknowledge page.
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
            bus.AddConsumer<ReporterMessageReadyConsumer>();
            bus.AddConsumer<DepartmentAlertConsumer>();
            bus.AddConsumer<DepartmentAlertFailureConsumer>();
            bus.AddConsumer<MeetingInvitationConsumer>();
            bus.AddProfileSnapshots<NotificationsDbContext>();
        });
        builder.Services.AddOutboxDispatcher<NotificationsDbContext>();
        builder.AddEmail();
        // The one page departments open: the acknowledge link.
        builder.Services.AddRazorPages(options => options.RootDirectory = "/");
        return builder;
    }
}
