using Harbour.ServiceDefaults;
using Quartz;
using Harbour.ServiceDefaults.Security;
using Harbour.Notifications.Consumers;
using Harbour.Notifications.Departments;
using Harbour.Notifications.Email;
using Harbour.Notifications.Meetings;
using Harbour.ServiceDefaults.Outbox;
using Harbour.Profile;
using Harbour.Staff;

namespace Harbour.Notifications;

// What notifications is made of: its delivery log, the events it emails about, the profile it follows, SMTP, the outbox
// that announces deliveries and acknowledgements, the acknowledge page, and the admins' pages (staff sign-in).
public static class NotificationsServices
{
    public static IHostApplicationBuilder AddNotificationsServices(this IHostApplicationBuilder builder)
    {
        builder.AddDatabase<NotificationsDbContext>("notificationsdb");
        builder.AddMessaging(bus =>
        {
            bus.AddConsumer<ReportSubmittedConsumer>();
            bus.AddConsumer<StaffInvitedConsumer>();
            bus.AddConsumer<StaffPassphraseResetConsumer>();
            bus.AddConsumer<CaseAssignedConsumer>();
            bus.AddConsumer<SlaBreachedConsumer>();
            bus.AddConsumer<ReporterMessageWaitingConsumer>();
            bus.AddConsumer<ReporterMessageReadyConsumer>();
            bus.AddConsumer<DepartmentAlertConsumer>(typeof(DepartmentAlertConsumerDefinition));
            bus.AddConsumer<DepartmentAlertReminderConsumer>();
            bus.AddConsumer<DepartmentAlertFailureConsumer>();
            bus.AddConsumer<MeetingInvitationConsumer>();
            bus.AddConsumer<CaseDeletedConsumer>();
            bus.AddConsumer<AuditChainAnchoredConsumer>();
            bus.AddProfileSnapshots<NotificationsDbContext>();
            bus.AddEndedSessions<NotificationsDbContext>();
        });
        builder.Services.AddOutboxDispatcher<NotificationsDbContext>();
        builder.AddEmail();
        // Opens what cases seals for mail (a department alert's body): notifications holds no report key.
        builder.Services.AddMailSealer();
        // The page departments open (the acknowledge link), and the admins' delivery log and email templates.
        builder.Services.AddHarbourPages();
        builder.AddStaffSignIn<NotificationsDbContext>();
        // Keys shared by every replica and kept across restarts: the admin pages' form tokens.
        builder.Services.AddSealedDataProtection<NotificationsDbContext>("harbour-notifications", Sealer.Mail);
        // Work that runs by the clock, through Quartz.NET: the delivery log's retention. A period under a month would empty the log,
        // which is also what sends each email once: refused at start.
        if (builder.Configuration.GetValue("Retention:DeliveryLogMonths", 24) is < 1 or > 240)
            throw new InvalidOperationException("Retention:DeliveryLogMonths must be a number of months from 1 to 240.");
        builder.Services.AddQuartz(quartz =>
        {
            if (builder.Configuration.GetValue("Retention:Enabled", true))
                quartz.ScheduleJob<Deliveries.DeliveryLogSweep>(trigger => trigger.WithIdentity("delivery-log-sweep").StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(builder.Configuration.GetValue("Retention:SweepInterval", TimeSpan.FromHours(1))).RepeatForever()));
        });
        builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return builder;
    }
}
