using Harbour.Analytics;
using Harbour.Analytics.Consumers;
using Harbour.Analytics.Counts;
using Harbour.ServiceDefaults.Profile;
using Harbour.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDatabase<AnalyticsDbContext>("analyticsdb");
builder.AddMessaging(bus =>
{
    bus.AddConsumer<ReportSubmittedConsumer>();
    bus.AddProfileSnapshots<AnalyticsDbContext>();
});
builder.AddStaffAuthentication();

var app = builder.Build();

await app.MigrateDatabaseAsync<AnalyticsDbContext>();
app.MapDefaultEndpoints();
app.UseAuthentication();
app.UseAuthorization();
app.MapAnalyticsApi();

app.Run();

public partial class Program;
