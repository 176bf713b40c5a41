using Harbour.ServiceDefaults;
using Harbour.Cases.Audit;
using Harbour.Cases.Casework;
using Harbour.Cases.Consumers;
using Harbour.Cases.Staff;
using Harbour.ServiceDefaults.Outbox;
using Harbour.ServiceDefaults.Security;
using Quartz;

namespace Harbour.Cases;

// What cases is made of: its database and outbox, the messages it consumes, staff sign-in and accounts, sealing, pages.
public static class CasesServices
{
    public static IHostApplicationBuilder AddCasesServices(this IHostApplicationBuilder builder)
    {
        builder.AddDatabase<CasesDbContext>("casesdb");
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<AuditScreen>();
        builder.Services.ConfigureDbContext<CasesDbContext>((services, options) => options.AddInterceptors(services.GetRequiredService<AuditScreen>()));
        builder.AddMessaging(bus =>
        {
            bus.AddConsumer<ReportSubmittedConsumer>();
            bus.AddConsumer<ReporterWroteConsumer>();
            bus.AddConsumer<EvidenceSubmittedConsumer>();
            bus.AddConsumer<DepartmentAlertAnswersConsumer>();
            bus.AddConsumer<DisclosureAnswersConsumer>();
            bus.AddConsumer<SubjectAccess.SubjectAccessSearchedConsumer>();
        });
        builder.Services.AddOutboxDispatcher<CasesDbContext>();
        builder.Services.AddHealthChecks().AddCheck<Harbour.Cases.Profile.ClosuresHealthCheck>("profile-closures");
        // Cases alone signs staff tokens; it checks them with its own key and publishes the public half (MapStaffKeys).
        var issuer = new StaffTokenIssuer(builder.Configuration);
        builder.Services.AddSingleton(issuer);
        builder.AddStaffAuthentication(StaffSessions.CheckAsync, issuer);
        builder.Services.AddStepUp();
        builder.AddStaffIdentity();
        builder.AddSingleSignOn();
        builder.Services.AddSingleton<SignInThrottle>();
        builder.AddSchedule();
        builder.Services.AddSingleton<Sealer>();
        builder.Services.AddMailSealer();
        builder.Services.AddLearningSealer();
        builder.Services.AddHarbourPages();
        return builder;
    }

    // Work that runs by the clock, through Quartz.NET (in memory in each replica; each job is safe to run in several at once).
    static void AddSchedule(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddQuartz(quartz =>
        {
            quartz.ScheduleJob<IdleSessionSweep>(trigger => trigger.WithIdentity("idle-session-sweep").StartNow()
                .WithSimpleSchedule(s => s.WithInterval(configuration.GetValue("Staff:IdleSweepInterval", TimeSpan.FromMinutes(1))).RepeatForever()));
            quartz.ScheduleJob<DeadlineWatch>(trigger => trigger.WithIdentity("deadline-watch").StartNow()
                .WithSimpleSchedule(s => s.WithInterval(configuration.GetValue("Casework:DeadlineWatchInterval", TimeSpan.FromMinutes(5))).RepeatForever()));
            quartz.ScheduleResealing<CasesDbContext>(configuration);
            quartz.ScheduleJob<Audit.AuditChaining>(trigger => trigger.WithIdentity("audit-chaining").StartNow()
                .WithSimpleSchedule(s => s.WithInterval(configuration.GetValue("Audit:ChainInterval", TimeSpan.FromSeconds(1))).RepeatForever()));
            quartz.ScheduleJob<Audit.AuditAnchor>(trigger => trigger.WithIdentity("audit-anchor").StartNow()
                .WithSimpleSchedule(s => s.WithInterval(configuration.GetValue("Audit:AnchorCheckInterval", TimeSpan.FromHours(1))).RepeatForever()));
            // Retention:Enabled false stops deleting (for an operator to review /cases/retention first); holds still apply.
            if (configuration.GetValue("Retention:Enabled", true))
                quartz.ScheduleJob<Retention.RetentionSweep>(trigger => trigger.WithIdentity("retention-sweep").StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(configuration.GetValue("Retention:SweepInterval", TimeSpan.FromHours(1))).RepeatForever()));
        });
        builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
    }
}
