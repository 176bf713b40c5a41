using System.Diagnostics;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Reliability.Tests;

// The whole system as `./harbour run` starts it: the AppHost in local mode, with PostgreSQL, RabbitMQ and
// smtp4dev as executables of its own (own ports, own data), so the suite can stop, kill and restart them
// without touching the servers other tests share.
public sealed class ReliabilitySystem : IAsyncLifetime
{
    public const string Password = "reliability0suite0password";
    // Below Linux's ephemeral range (32768 to 60999): a server the suite stops and starts again must find its port free, and in
    // that range any outgoing connection made meanwhile may be given it (RabbitMQ then failed to start: eaddrinuse). Also
    // outside 21000 to 30999, where local RabbitMQ nodes put their distribution port (AppHost/servers/rabbitmq.sh): the test
    // servers' node holds 26672.
    public const int PostgresPort = 16432, AmqpPort = 16672, ManagementPort = 16673, SmtpPort = 16025, MailUiPort = 16080;
    static readonly int GatewayPort = TestServers.FreePort();

    readonly string data = Path.Combine(Path.GetTempPath(), $"harbour-reliability-{Guid.NewGuid():N}");
    DistributedApplication app = null!;

    public Uri Gateway { get; private set; } = null!;
    public Uri Broker => new($"amqps://harbour:{Password}@127.0.0.1:{AmqpPort}");
    public Uri Management => new($"http://127.0.0.1:{ManagementPort}");
    public MailCatcher Mail { get; } = new(new Uri($"http://127.0.0.1:{MailUiPort}"));
    public string Database(string name) =>
        $"Host=127.0.0.1;Port={PostgresPort};Username=harbour;Password={Password};Database={name};Timeout=5";

    public async ValueTask InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
        [
            "Harbour:Servers=local",
            $"Harbour:Local:DataPath={data}",
            $"Harbour:Local:CertificatesPath={Certificates}",
            $"Harbour:Local:PostgresPort={PostgresPort}",
            $"Harbour:Local:AmqpPort={AmqpPort}",
            $"Harbour:Local:ManagementPort={ManagementPort}",
            $"Harbour:Local:SmtpPort={SmtpPort}",
            $"Harbour:Local:MailUiPort={MailUiPort}",
            $"Harbour:GatewayPort={GatewayPort}",
            $"Parameters:postgres-password={Password}",
            $"Parameters:rabbitmq-password={Password}",
            $"Parameters:admin-password={AdminPassword}",
            $"Parameters:analytics-key={AnalyticsKey}",
            "Harbour:TeamAddress=team@harbour.test",
            // The production messaging configuration: replicated queues with a delivery limit.
            "Services:Messaging:QuorumQueues=true",
            // The load comes from one address: each sender's share at the gateway (30 posts a minute) would refuse most of it.
            "Services:Gateway:SubmissionsPerClientPerMinute=1000000",
        ], (options, _) => options.DisableDashboard = true);
        app = await builder.BuildAsync();
        // The servers' own output goes to the test's output, to read when a fault does not heal.
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var server in new[] { "postgres", "rabbitmq", "mail" })
            _ = Task.Run(async () =>
            {
                await foreach (var batch in logs.WatchAsync(server))
                    foreach (var line in batch) Console.WriteLine($"[{server}] {line.Content}");
            });
        using var starting = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await app.StartAsync(starting.Token);
        foreach (var service in new[] { "intake", "cases", "notifications", "analytics", "gateway" })
            await app.ResourceNotifications.WaitForResourceHealthyAsync(service, starting.Token);
        Gateway = app.GetEndpoint("gateway", "http");
    }

    // The folder of the servers' certificates (AppHost/servers/certificates.sh): its authority is the one the suite's own
    // connections trust.
    string Certificates => Path.Combine(data, "certificates");

    // The suite's own connection to the broker checks the broker's certificate against the servers' authority and its name.
    public bool TrustsServer(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? certificate,
        System.Security.Cryptography.X509Certificates.X509Chain? chain, System.Net.Security.SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors) != 0) return false;
        using var check = new System.Security.Cryptography.X509Certificates.X509Chain();
        check.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
        check.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
        check.ChainPolicy.CustomTrustStore.Add(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(
            Path.Combine(Certificates, "trust", "harbour-local-authority.crt")));
        return check.Build(new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate));
    }

    public Uri Endpoint(string resource) => app.GetEndpoint(resource, "http");

    public const string AdminPassword = "reliability admin passphrase";
    public const string AnalyticsKey = "reliability-analytics-key-0123456789abcdef";

    // The bootstrap admin, signed in through the gateway.
    public async Task<HttpClient> StaffAsync()
    {
        var staff = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Gateway };
        (await StaffSignIn.SignInAsync(staff, "admin@harbour.local", AdminPassword)).SignedIn().ShouldBeTrue();
        return staff;
    }

    // A case manager as an admin sets one up (invited, joined from the emailed link); returns the account's id.
    public async Task<string> CaseManagerAsync(HttpClient admin)
    {
        var email = $"reliable-{Guid.NewGuid():N}@harbour.test";
        (await admin.PostAsJsonAsync("/api/staff/invitations", new { email, displayName = "Reliable Case Manager", roles = new[] { "CaseManager" } }))
            .StatusCode.ShouldBe(System.Net.HttpStatusCode.Created);
        var invitation = await Eventually.GetAsync(async () => (await Mail.WithSubjectAsync("Your invitation to Harbour")).Where(m => m.To.Contains(email)).ToList(),
            m => m.Count > 0, "the invitation email");
        var link = System.Text.RegularExpressions.Regex.Match(await Mail.PlainTextAsync(invitation[0]), "/cases/invitation/[A-Za-z0-9_-]+").Value;
        using var joining = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Gateway };
        var form = HtmlForm.Read(await joining.GetStringAsync(link), "form");
        (form["passphrase"], form["again"]) = (AdminPassword, AdminPassword);
        (await joining.PostAsync(link, form.ToContent())).StatusCode.ShouldBe(System.Net.HttpStatusCode.Redirect);
        return (await admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/staff")).EnumerateArray()
            .Single(a => a.GetProperty("email").GetString() == email).GetProperty("id").GetString()!;
    }

    // An admin changes how many working days triage may take; returns the new profile version.
    public async Task<int> ChangeTriageDeadlineAsync(int workingDays)
    {
        using var staff = await StaffAsync();
        var profile = System.Text.Json.Nodes.JsonNode.Parse(await staff.GetStringAsync("/api/profile"))!;
        foreach (var deadline in profile["deadlines"]!.AsArray().Where(d => (string?)d!["step"] == "triage"))
            deadline!["workingDays"] = workingDays;
        var saved = await staff.PutAsync("/api/profile",
            new StringContent(profile.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        saved.EnsureSuccessStatusCode();
        return (await saved.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("version").GetInt32();
    }

    public async Task CommandAsync(string resource, string command)
    {
        var target = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resource);
        var result = await app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(target, command);
        if (!result.Success) throw new InvalidOperationException($"{command} {resource} failed: {result.Message}");
    }

    public Task StopAsync(string resource) => CommandAsync(resource, KnownResourceCommands.StopCommand);

    public async Task StartAsync(string resource)
    {
        await CommandAsync(resource, KnownResourceCommands.StartCommand);
        using var waiting = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        // Running first: until the start shows, the last state is still the stopped one.
        await app.ResourceNotifications.WaitForResourceAsync(resource, KnownResourceStates.Running, waiting.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, waiting.Token);
    }

    public async Task RestartAsync(string resource)
    {
        await CommandAsync(resource, KnownResourceCommands.RestartCommand);
        using var waiting = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        // Right after the command the orchestrator may still show the old process ending, even as "failed to start"
        // (seen once): wait until it runs again and answers.
        await app.ResourceNotifications.WaitForResourceAsync(resource, KnownResourceStates.Running, waiting.Token);
        while (true)
        {
            try
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, waiting.Token);
                return;
            }
            catch (DistributedApplicationException) when (!waiting.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), waiting.Token);
            }
        }
    }

    // kill -9 of the service process itself (the orchestrator runs it under `dotnet run`), as a crash would.
    public async Task KillAsync(string resource)
    {
        var state = await app.ResourceNotifications.WaitForResourceAsync(resource, e => e.Snapshot.Properties
            .Any(p => p.Name == "executable.pid" && p.Value is not null));
        var pid = Convert.ToInt32(state.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value);
        var victims = Descendants(pid).ToList();
        victims.ShouldNotBeEmpty($"{resource} has no service process under pid {pid}");
        foreach (var victim in victims) Process.Start("kill", ["-9", victim.ToString()])!.WaitForExit();
        using var waiting = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await app.ResourceNotifications.WaitForResourceAsync(resource,
            [KnownResourceStates.Exited, KnownResourceStates.Finished, KnownResourceStates.FailedToStart], waiting.Token);
    }

    static IEnumerable<int> Descendants(int root)
    {
        var parents = Directory.EnumerateDirectories("/proc")
            .Select(dir => int.TryParse(Path.GetFileName(dir), out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .Select(pid => (pid, parent: ParentOf(pid)))
            .ToList();
        var found = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.TryDequeue(out var current))
            foreach (var (pid, _) in parents.Where(p => p.parent == current)) { found.Add(pid); frontier.Enqueue(pid); }
        return found;
    }

    static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }
        catch (IOException) { return 0; }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        try { Directory.Delete(data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
