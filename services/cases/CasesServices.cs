using Harbour.Cases.Audit;
using Harbour.Cases.Consumers;
using Harbour.Cases.Staff;
using Harbour.ServiceDefaults.Outbox;
using Harbour.ServiceDefaults.Security;

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
        });
        builder.Services.AddOutboxDispatcher<CasesDbContext>();
        // Cases alone signs staff tokens; it checks them with its own key and publishes the public half (MapStaffKeys).
        var issuer = new StaffTokenIssuer(builder.Configuration);
        builder.Services.AddSingleton(issuer);
        builder.AddStaffAuthentication(StaffSessions.CheckAsync, issuer);
        builder.AddStaffIdentity();
        builder.AddSingleSignOn();
        builder.Services.AddSingleton<SignInThrottle>();
        builder.Services.AddHostedService<IdleSessionSweep>();
        builder.Services.AddSingleton<Sealer>();
        builder.Services.AddRazorPages(options => options.RootDirectory = "/");
        return builder;
    }
}
