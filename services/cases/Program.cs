using Harbour.Cases;
using Harbour.Cases.Cases;
using Harbour.Cases.Consumers;
using Harbour.Cases.Profile;
using Harbour.Cases.Staff;
using Harbour.ServiceDefaults.Messaging;
using Harbour.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDatabase<CasesDbContext>("casesdb");
builder.AddMessaging(bus =>
{
    bus.AddConsumer<ReportSubmittedConsumer>();
    bus.AddConsumer<ReporterMessagePostedConsumer>();
    bus.AddConsumer<EvidenceSubmittedConsumer>();
});
builder.Services.AddOutboxDispatcher<CasesDbContext>();
builder.AddStaffAuthentication();
builder.AddStaffIdentity();
builder.Services.AddSingleton<Sealer>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddRazorPages(options => options.RootDirectory = "/");

var app = builder.Build();

await app.MigrateDatabaseAsync<CasesDbContext>();
await app.EnsureBootstrapAdminAsync();
await app.PublishInstitutionProfileAsync();
app.MapDefaultEndpoints();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();
app.MapCasesApi();
app.MapProfileApi();
app.MapRazorPages();

app.Run();

public partial class Program;
