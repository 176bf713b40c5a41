using Harbour.ServiceDefaults.Security;
using Harbour.Intake;
using Harbour.Intake.FollowUp;
using Harbour.Intake.Reports;
using Harbour.Intake.Safety;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIntakeServices();

var app = builder.Build();

await app.MigrateDatabaseAsync<IntakeDbContext>();
app.UseHeaderPolicy();
app.MapDefaultEndpoints();
app.UseErrorPages();
// After the error pages, so that the problem page they show is routed like any page.
app.UseRouting();
app.UseAuthorization();
app.UseAntiforgery();
app.UseSubmissionBudgetOnTheForm();
app.UseStaticFiles();
app.MapReportsApi();
app.MapFollowUpApi();
app.MapQuickExit();
app.MapOpenApi("/api/reports/openapi/{documentName}.json");
app.MapRazorPages();

app.Run();

public partial class Program;
