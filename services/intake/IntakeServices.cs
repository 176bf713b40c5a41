using Harbour.ServiceDefaults;
using Harbour.Intake.Consumers;
using Harbour.Intake.FollowUp;
using Harbour.Intake.Guidance;
using Harbour.Intake.Safety;
using Harbour.Profile;
using Harbour.ServiceDefaults.Outbox;
using Harbour.ServiceDefaults.Security;
using Quartz;

namespace Harbour.Intake;

// What intake is made of: its database and outbox, the messages it follows, sealing, the public site's safety and pages.
public static class IntakeServices
{
    public static IHostApplicationBuilder AddIntakeServices(this IHostApplicationBuilder builder)
    {
        builder.AddDatabase<IntakeDbContext>("intakedb");
        builder.AddMessaging(bus =>
        {
            bus.AddProfileSnapshots<IntakeDbContext>();
            bus.AddConsumer<CaseStatusChangedConsumer>();
            bus.AddConsumer<CaseManagerWroteConsumer>();
            bus.AddConsumer<SupportSuggestedConsumer>();
            bus.AddConsumer<MeetingConsumer>();
            bus.AddConsumer<DisclosureRecordedConsumer>();
            bus.AddConsumer<CaseContentRedactedConsumer>();
            bus.AddConsumer<CaseDeletedConsumer>();
        });
        builder.Services.AddOutboxDispatcher<IntakeDbContext>();
        builder.Services.AddSingleton<Sealer>();
        // Work that runs by the clock, through Quartz.NET: values sealed with an older report key sealed again with the current one.
        builder.Services.AddQuartz(quartz => quartz.ScheduleResealing<IntakeDbContext>(builder.Configuration));
        builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        // Form tokens and the follow-up cookie stay readable across restarts and by every instance of intake.
        builder.Services.AddSealedDataProtection<IntakeDbContext>("harbour-intake");
        builder.Services.AddSingleton<SubmissionBudget>();
        builder.Services.AddSingleton<FollowUpThrottle>();
        builder.Services.AddSingleton<GuidanceHistory.Cache>();
        builder.Services.AddScoped<GuidanceHistory>();
        builder.Services.AddPublicForms();
        builder.Services.AddHarbourPages();
        // The document names the public address (Harbour:PublicUrl), never the internal one the gateway calls.
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Servers = builder.Configuration["Harbour:PublicUrl"] is { Length: > 0 } url ? [new() { Url = url }] : [];
            return Task.CompletedTask;
        }));
        return builder;
    }
}
