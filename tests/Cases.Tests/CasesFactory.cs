using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Cases.Tests;

public class CasesFactory : ServiceFactory<Program>
{
    // Each instance its own admin (its own database), so that each enrols its own authenticator key.
    public string AdminEmail { get; } = $"admin-{Guid.NewGuid():N}@harbour.test";
    public const string AdminPassword = "correct horse battery staple";

    public CasesFactory() : base("casesdb", keepsAuditLog: true)
    {
        Settings["Harbour:StaffKey"] = StaffKey;
        Settings["Harbour:AdminEmail"] = AdminEmail;
        Settings["Harbour:AdminPassword"] = AdminPassword;
    }

    // SQL run by whoever administers the database server (not Harbour, which cannot), with the audit log's rules switched off.
    // Values given as (name, value) are the SQL's @name parameters.
    public async Task OutsideHarbourAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new Npgsql.NpgsqlConnection(AdminDatabase);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"ALTER TABLE audit.log DISABLE TRIGGER USER; {sql}; ALTER TABLE audit.log ENABLE TRIGGER USER", connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync();
    }

    // A report as intake seals it, so the case can be opened and read.
    public ReportSubmitted Report(string description) =>
        Reports.Submitted(Services.GetRequiredService<Sealer>().Seal(
            new ReportDetails(description, null, "last week", null, null, null)));

    // A report published as intake would, and its case open for the staff member given.
    public async Task<ReportSubmitted> OpenCaseAsync(HttpClient staff, ReportSubmitted report)
    {
        await PublishAsync(report);
        await Eventually.GetAsync(() => staff.GetAsync($"/api/cases/{report.Reference}"), r => r.IsSuccessStatusCode, "the case to open");
        return report;
    }

    // A named report as intake seals it: the reporter's name and address with what happened.
    public ReportSubmitted NamedReport(string description, string name, string email, bool? safeToLeaveMessage = null) =>
        Reports.Submitted(Services.GetRequiredService<Sealer>().Seal(
            new ReportDetails(description, null, "last week", name, email, null, PreferredContact: "email", SafeToLeaveMessage: safeToLeaveMessage)))
            with { Kind = ReportKinds.Named };

    // A session as sign-in starts one, for a token made in the test.
    public Guid StartSession(string userId)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var session = Harbour.Cases.Staff.StaffSession.Start(userId, TimeProvider.System);
        db.StaffSessions.Add(session);
        db.SaveChanges();
        return session.Id;
    }

    // A staff member set up as an admin's invitation would make them, signed in (second factor included).
    public async Task<(HttpClient Browser, string Id)> SignedInStaffAsync(string role, params string[] teams)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@harbour.test";
        string id;
        using (var scope = Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Harbour.Cases.Staff.StaffUser>>();
            var user = new Harbour.Cases.Staff.StaffUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = $"Test {role}", Teams = [.. teams] };
            (await users.CreateAsync(user, AdminPassword)).Succeeded.ShouldBeTrue();
            (await users.AddToRoleAsync(user, role)).Succeeded.ShouldBeTrue();
            id = user.Id;
        }
        var browser = Browser();
        (await StaffSignIn.SignInAsync(browser, email, AdminPassword)).SignedIn().ShouldBeTrue();
        return (browser, id);
    }

    public HttpClient Browser() => CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });

    public async Task<HttpClient> SignedInAdminAsync()
    {
        var browser = Browser();
        (await StaffSignIn.SignInAsync(browser, AdminEmail, AdminPassword)).SignedIn().ShouldBeTrue();
        return browser;
    }
}
