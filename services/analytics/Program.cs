using Harbour.ServiceDefaults.Security;
using Harbour.Analytics;
using Harbour.Analytics.Counts;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAnalyticsServices();

var app = builder.Build();

await app.MigrateDatabaseAsync<AnalyticsDbContext>();
app.UseHeaderPolicy();
app.MapDefaultEndpoints();
app.UseAuthentication();
app.UseAuthorization();
app.MapAnalyticsApi();

app.Run();

public partial class Program;
