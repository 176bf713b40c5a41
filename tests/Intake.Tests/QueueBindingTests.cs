using System.Net;
using System.Text;
using Harbour.AppHost;
using Harbour.Contracts;

namespace Harbour.Intake.Tests;

// Intake on the broker as its own user, made as the AppHost makes it (AppHost/BrokerUsers.cs), with no configure permission on
// the exchanges of the messages it consumes: it binds its queues to them itself (ServiceDefaults/Messaging/QueueBindings.cs).
// Until the broker lets it, it says it is not ready, and it tries again by itself.
public sealed class QueueBindingTests
{
    [Fact]
    public async Task AQueueRefusedItsBindingLeavesTheServiceUnreadyUntilTheBrokerAllowsItAndThenItBindsByItself()
    {
        var servers = await TestServers.GetAsync();
        var vhost = TestServers.UniqueName("bindings");
        var admin = new Uri(await servers.CreateVirtualHostAsync(vhost));
        var user = new BrokerUsers.User(TestServers.UniqueName("intake"), Guid.NewGuid().ToString("N"), ServiceNames.Intake);
        using var http = new HttpClient();
        async Task PutAsync(string path, string json)
        {
            using var request = TestServers.Authorised(HttpMethod.Put, new Uri(servers.RabbitManagement, path), servers.Rabbit);
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            (await http.SendAsync(request)).EnsureSuccessStatusCode();
        }
        // The user, allowed its own queues only: it may not even read the exchanges of the messages it consumes.
        await PutAsync($"api/users/{user.Name}", $$"""{"password":"{{user.Password}}","tags":""}""");
        await PutAsync($"api/permissions/{vhost}/{user.Name}", """{"configure":"^intake-.*$","write":"^intake-.*$","read":"^intake-.*$"}""");

        await using var intake = new IntakeOnBroker(new UriBuilder(admin) { UserName = user.Name, Password = user.Password }.Uri.ToString());
        await intake.InitializeAsync();
        var client = intake.CreateClient();
        var unready = await Eventually.GetAsync(async () => await (await client.GetAsync("/health")).Content.ReadAsStringAsync(),
            health => health.Contains("Not yet bound"), "intake to say its queues are not bound", seconds: 60);
        unready.ShouldContain("intake-case-deleted");
        (await client.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);

        // As the AppHost does: the user's permissions, and every message's exchange declared.
        await BrokerUsers.ProvideAsync(http, servers.RabbitManagement, admin, user);
        await BrokerUsers.DeclareExchangesAsync(http, servers.RabbitManagement, admin);
        await Eventually.GetAsync(() => client.GetAsync("/health"), response => response.IsSuccessStatusCode, "intake to bind its queues by itself", seconds: 60);

        // The binding it made: the message's exchange into its queue's own, which it could neither declare nor delete.
        using var bindings = TestServers.Authorised(HttpMethod.Get, new Uri(servers.RabbitManagement,
            $"api/exchanges/{vhost}/{Uri.EscapeDataString("Harbour.Contracts:CaseDeleted")}/bindings/source"), servers.Rabbit);
        (await (await http.SendAsync(bindings)).Content.ReadAsStringAsync()).ShouldContain("\"destination\":\"intake-case-deleted\"");
    }
}
