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

    public CasesFactory() : base("casesdb")
    {
        Settings["Harbour:StaffKey"] = StaffKey;
        Settings["Harbour:AdminEmail"] = AdminEmail;
        Settings["Harbour:AdminPassword"] = AdminPassword;
    }

    // A report as intake seals it, so the case can be opened and read.
    public ReportSubmitted Report(string description) =>
        Reports.Submitted(Services.GetRequiredService<Sealer>().Seal(
            new ReportDetails(description, null, "last week", null, null, null)));

    public Task PublishAsync<T>(T message) where T : class => Services.GetRequiredService<IBus>().Publish(message);

    // The first message of a type that matches, as another service would receive it from the broker.
    public (Task Ready, Task<T> Message) Listen<T>(Func<T, bool> match) where T : class
    {
        var received = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handle = Services.GetRequiredService<IBus>().ConnectReceiveEndpoint(TestServers.UniqueName("listen"), endpoint =>
            endpoint.Handler<T>(context =>
            {
                if (match(context.Message)) received.TrySetResult(context.Message);
                return Task.CompletedTask;
            }));
        return (handle.Ready, received.Task);
    }

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
