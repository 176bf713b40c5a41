using Harbour.ServiceDefaults.Security;
using Harbour.Staff.Problems;
using Harbour.Analytics;
using Harbour.Analytics.Figures;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAnalyticsServices();

var app = builder.Build();

await app.MigrateDatabaseAsync<AnalyticsDbContext>();
// "rebuild" (docs/operations.md): the report tallies worked out again from the reports kept, then the process ends.
if (args.Contains("rebuild"))
{
    await using var scope = app.Services.CreateAsyncScope();
    var rows = await ReportTallies.RebuildAsync(scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>(), CancellationToken.None);
    app.Logger.LogInformation("Report tallies rebuilt from the reports kept: {Rows} rows", rows);
    return;
}
// Stored pseudonyms moved forward to a new analytics key, if one was given, before any event is taken (docs/operations.md).
// Not for "rebuild", which reads no pseudonym.
await using (var scope = app.Services.CreateAsyncScope())
    await PseudonymRotation.ApplyAsync(scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>(),
        app.Services.GetRequiredService<Pseudonyms>(), app.Logger, CancellationToken.None);
app.UseHeaderPolicy();
app.MapDefaultEndpoints();
app.UseStaffErrorPages();
// Routing after the error pages, so that the problem page shown again for a failed request is routed like any page.
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.MapRazorPages();
app.MapAnalyticsApi();

app.Run();

public partial class Program;
