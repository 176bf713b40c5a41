using Harbour.Intake;
using Harbour.Intake.Consumers;
using Harbour.Intake.FollowUp;
using Harbour.Intake.Reports;
using Harbour.ServiceDefaults.Messaging;
using Harbour.ServiceDefaults.Profile;
using Harbour.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDatabase<IntakeDbContext>("intakedb");
builder.AddMessaging(bus =>
{
    bus.AddProfileSnapshots<IntakeDbContext>();
    bus.AddConsumer<CaseStatusChangedConsumer>();
    bus.AddConsumer<ReporterMessageSentConsumer>();
});
builder.Services.AddOutboxDispatcher<IntakeDbContext>();
builder.Services.AddSingleton<Sealer>();
builder.Services.AddSingleton<FollowUpThrottle>();
builder.AddPublicSite();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddRazorPages(options => options.RootDirectory = "/");
builder.Services.AddOpenApi();

var app = builder.Build();

await app.MigrateDatabaseAsync<IntakeDbContext>();
app.MapDefaultEndpoints();
app.UsePublicSite();
app.UseStaticFiles();
app.MapReportsApi();
app.MapFollowUpApi();
app.MapQuickExit();
app.MapOpenApi("/api/reports/openapi/{documentName}.json");
app.MapRazorPages();

app.Run();

public partial class Program;
