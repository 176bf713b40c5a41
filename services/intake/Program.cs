using Harbour.Intake;
using Harbour.Intake.Reports;
using Harbour.ServiceDefaults.Messaging;
using Harbour.ServiceDefaults.Profile;
using Harbour.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDatabase<IntakeDbContext>("intakedb");
builder.AddMessaging(bus => bus.AddProfileSnapshots<IntakeDbContext>());
builder.Services.AddOutboxDispatcher<IntakeDbContext>();
builder.Services.AddSingleton<Sealer>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddRazorPages(options => options.RootDirectory = "/");

var app = builder.Build();

await app.MigrateDatabaseAsync<IntakeDbContext>();
app.MapDefaultEndpoints();
app.UseStaticFiles();
app.MapReportsApi();
app.MapRazorPages();

app.Run();

public partial class Program;
