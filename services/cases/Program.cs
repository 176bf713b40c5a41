using Harbour.ServiceDefaults.Security;
using Harbour.Staff.Problems;
using Harbour.Cases;
using Harbour.Cases.Casework;
using Harbour.Cases.Profile;
using Harbour.Cases.Staff;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddCasesServices();

var app = builder.Build();

await app.MigrateDatabaseAsync<CasesDbContext>();
await app.EnsureBootstrapAdminAsync();
await app.ProtectSecondFactorsAsync();
await app.PublishInstitutionProfileAsync();
app.UseHeaderPolicy();
app.MapDefaultEndpoints();
app.UseStaffErrorPages();
// Routing after the error pages, so that the problem page shown again for a failed request is routed like any page.
app.UseRouting();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();
app.MapCasesApi();
app.MapProfileApi();
app.MapStaffApi();
app.MapStaffKeys();
app.MapStaffSignOut();
app.MapSingleSignOn();
app.MapRazorPages();

app.Run();

public partial class Program;
