using Npgsql;
using RabbitMQ.Client;

namespace Harbour.EndToEnd.Tests;

// As the AppHost starts the system (here on servers that already run), each service reaches PostgreSQL as a role of its own,
// no superuser, allowed into its own database only, and RabbitMQ as a user of its own, allowed its own queues only
// (docs/security.md, least privilege between services).
[Collection(HarbourCollection.Name)]
public sealed class DatabaseRoleTests(HarbourSystem harbour)
{
    static readonly string[] Databases = ["intakedb", "casesdb", "notificationsdb", "analyticsdb"];

    [Fact]
    public async Task EachServiceSignsInAsItsOwnRoleAndIsRefusedEveryOtherServicesDatabase()
    {
        var roles = new HashSet<string>();
        foreach (var database in Databases)
        {
            var own = new NpgsqlConnectionStringBuilder(await harbour.ConnectionStringAsync(database)) { Pooling = false };
            await using (var connection = new NpgsqlConnection(own.ConnectionString))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("""
                    SELECT r.rolsuper OR r.rolcreaterole OR r.rolcreatedb, d.datdba = r.oid
                    FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()
                    """, connection);
                await using var row = await command.ExecuteReaderAsync();
                (await row.ReadAsync()).ShouldBeTrue();
                row.GetBoolean(0).ShouldBeFalse($"{database}'s role has no power over the server");
                row.GetBoolean(1).ShouldBeTrue($"{database}'s role owns it");
            }
            roles.Add(own.Username!);

            foreach (var other in Databases.Where(d => d != database))
            {
                var elsewhere = new NpgsqlConnectionStringBuilder(own.ConnectionString)
                {
                    Database = new NpgsqlConnectionStringBuilder(await harbour.ConnectionStringAsync(other)).Database,
                };
                await using var trespass = new NpgsqlConnection(elsewhere.ConnectionString);
                var refused = await Should.ThrowAsync<PostgresException>(() => trespass.OpenAsync());
                refused.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege, $"{database}'s role into {other}");
            }
        }
        roles.Count.ShouldBe(Databases.Length, "one role per service");
    }

    // Every connection a service holds to PostgreSQL and to RabbitMQ is encrypted, and the servers' certificates are checked
    // (PostgreSQL's by name and authority: VerifyFull; the broker's as Intake.Tests/BrokerTlsTests shows). The test servers,
    // as the local ones, refuse a connection without TLS.
    [Fact]
    public async Task EveryServiceReachesPostgreSqlAndTheBrokerOverTlsOnly()
    {
        var servers = await TestServers.GetAsync();
        await using var admin = new NpgsqlConnection(servers.Database("postgres"));
        await admin.OpenAsync();
        foreach (var database in Databases)
        {
            var own = new NpgsqlConnectionStringBuilder(await harbour.ConnectionStringAsync(database));
            own.SslMode.ShouldBe(SslMode.VerifyFull, $"{database}'s service checks the server's certificate and name");
            await using var command = new NpgsqlCommand(
                "SELECT count(*), count(*) FILTER (WHERE s.ssl) FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.usename = @role", admin);
            command.Parameters.AddWithValue("role", own.Username!);
            await using var row = await command.ExecuteReaderAsync();
            (await row.ReadAsync()).ShouldBeTrue();
            row.GetInt64(0).ShouldBeGreaterThan(0, $"{database}'s service is connected");
            row.GetInt64(1).ShouldBe(row.GetInt64(0), $"every connection of {database}'s service is encrypted");
        }
        var plain = new NpgsqlConnectionStringBuilder(servers.Database("postgres")) { SslMode = SslMode.Disable, Pooling = false };
        await using (var unencrypted = new NpgsqlConnection(plain.ConnectionString))
            (await Should.ThrowAsync<PostgresException>(() => unencrypted.OpenAsync())).SqlState.ShouldBe(PostgresErrorCodes.InvalidAuthorizationSpecification);

        using var http = new HttpClient();
        foreach (var service in new[] { "intake", "cases", "notifications", "analytics" })
        {
            var user = Uri.UnescapeDataString(new Uri(await harbour.ConnectionStringAsync($"{service}-messaging")).UserInfo.Split(':')[0]);
            var connections = await Eventually.GetAsync(async () =>
            {
                using var request = TestServers.Authorised(HttpMethod.Get, new Uri(servers.RabbitManagement, "api/connections?columns=user,ssl"), servers.Rabbit);
                return System.Text.Json.JsonDocument.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync()).RootElement
                    .EnumerateArray().Where(c => c.GetProperty("user").GetString() == user).Select(c => c.GetProperty("ssl").GetBoolean()).ToList();
            }, list => list.Count > 0, $"{service}'s connections to show in the broker's figures");
            connections.ShouldAllBe(ssl => ssl, $"every connection of {service} to the broker is encrypted");
        }
        var amqp = new UriBuilder(servers.Rabbit) { Scheme = "amqp" }.Uri;
        await Should.ThrowAsync<RabbitMQ.Client.Exceptions.BrokerUnreachableException>(() =>
            new RabbitMQ.Client.ConnectionFactory { Uri = amqp, RequestedConnectionTimeout = TimeSpan.FromSeconds(5) }.CreateConnectionAsync());
    }

    [Fact]
    public async Task EachServiceReachesTheBrokerAsItsOwnUserAndIsRefusedAnotherServicesQueues()
    {
        var cases = new Uri(await harbour.ConnectionStringAsync("cases-messaging"));
        var intake = new Uri(await harbour.ConnectionStringAsync("intake-messaging"));
        cases.UserInfo.ShouldNotBe(intake.UserInfo);

        await using var connection = await new RabbitMQ.Client.ConnectionFactory { Uri = cases }.CreateConnectionAsync();
        await using (var own = await connection.CreateChannelAsync())
            (await own.QueueDeclarePassiveAsync("cases-report-submitted")).QueueName.ShouldBe("cases-report-submitted");
        await using var other = await connection.CreateChannelAsync();
        var refused = await Should.ThrowAsync<RabbitMQ.Client.Exceptions.OperationInterruptedException>(
            () => other.BasicGetAsync("intake-case-status-changed", autoAck: false));
        refused.ShutdownReason!.ReplyCode.ShouldBe((ushort)403, "cases may not read intake's queue");
    }

    // Each message has one publisher (Contracts/MessageRoutes.cs): a service taken over cannot pass off another's message, such
    // as a CaseDeleted from intake (which would have intake's copies of a live case deleted) or a ReportSubmitted from cases.
    [Theory]
    [InlineData("intake-messaging", "Harbour.Contracts:CaseDeleted")]
    [InlineData("cases-messaging", "Harbour.Contracts:ReportSubmitted")]
    [InlineData("notifications-messaging", "Harbour.Contracts:StaffSessionEnded")]
    [InlineData("analytics-messaging", "Harbour.Contracts:CaseClosed")]
    // A forged fault of a department alert would have cases tell the case manager that the department was not told.
    [InlineData("cases-messaging", "MassTransit:Fault--Harbour.Contracts:DepartmentAlertRequested--")]
    [InlineData("analytics-messaging", "MassTransit:Fault--Harbour.Contracts:DepartmentAlertRequested--")]
    public async Task AServiceIsRefusedPublishingAMessageThatIsNotItsOwn(string user, string exchange)
    {
        await using var connection = await new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(await harbour.ConnectionStringAsync(user)) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        (await channel.ExchangeDeclarePassiveAsync(exchange).ContinueWith(t => t.IsCompletedSuccessfully)).ShouldBeTrue("the exchange is there to be written to");

        var refused = await Should.ThrowAsync<RabbitMQ.Client.Exceptions.OperationInterruptedException>(async () =>
        {
            await channel.BasicPublishAsync(exchange, "", mandatory: false, new RabbitMQ.Client.BasicProperties(), new ReadOnlyMemory<byte>("{}"u8.ToArray()));
            // The refusal closes the channel; the next call on it is where the client hears of it.
            await channel.ExchangeDeclarePassiveAsync(exchange);
        });
        refused.ShutdownReason!.ReplyCode.ShouldBe((ushort)403);
        refused.ShutdownReason.ReplyText.ShouldContain($"access to exchange '{exchange}'");
    }

    // Nor can it receive a message meant for others (Contracts/MessageRoutes.cs names each message's consumers, and its fault's):
    // binding the message's exchange to a queue of its own is refused, and so is deleting the exchange from under its consumers.
    [Theory]
    [InlineData("analytics-messaging", "Harbour.Contracts:DepartmentAlertRequested")]
    [InlineData("intake-messaging", "Harbour.Contracts:StaffInvited")]
    [InlineData("notifications-messaging", "Harbour.Contracts:CaseManagerWrote")]
    // A fault carries the whole failed message; only the service that failed may read its own.
    [InlineData("analytics-messaging", "MassTransit:Fault--Harbour.Contracts:DepartmentAlertRequested--")]
    [InlineData("cases-messaging", "MassTransit:Fault")]
    [InlineData("intake-messaging", "MassTransit:ReceiveFault")]
    public async Task AServiceIsRefusedReceivingAMessageMeantForOthers(string user, string exchange)
    {
        await using var connection = await new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(await harbour.ConnectionStringAsync(user)) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = $"{user[..user.IndexOf('-')]}-eavesdrop-{Guid.NewGuid():N}";
        (await channel.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true)).QueueName.ShouldBe(queue, "a queue of its own it may make");

        var binding = await Should.ThrowAsync<RabbitMQ.Client.Exceptions.OperationInterruptedException>(() => channel.QueueBindAsync(queue, exchange, ""));
        binding.ShutdownReason!.ReplyCode.ShouldBe((ushort)403);
        binding.ShutdownReason.ReplyText.ShouldContain($"access to exchange '{exchange}'");
        await using var again = await connection.CreateChannelAsync();
        var deleting = await Should.ThrowAsync<RabbitMQ.Client.Exceptions.OperationInterruptedException>(() => again.ExchangeDeleteAsync(exchange));
        deleting.ShutdownReason!.ReplyCode.ShouldBe((ushort)403, "nor may it delete the exchange");
    }

    // Nor may the publisher: it only writes to its messages' exchanges, which the AppHost declares (MassTransit's publish
    // topology is off for them: ServiceDefaults/Messaging/Messaging.cs), so it cannot cut every consumer off by deleting one
    // (every message in these tests reaching its consumers shows the publishers need no more).
    [Theory]
    [InlineData("intake-messaging", "Harbour.Contracts:ReportSubmitted")]
    [InlineData("cases-messaging", "Harbour.Contracts:CaseDeleted")]
    [InlineData("notifications-messaging", "Harbour.Contracts:NotificationDelivered")]
    public async Task AServiceMayPublishButNeitherDeclareNorDeleteTheExchangeOfAMessageItPublishes(string user, string exchange)
    {
        await using var connection = await new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(await harbour.ConnectionStringAsync(user)) }.CreateConnectionAsync();
        await NeitherDeletedNorDeclaredAsync(connection, exchange);
    }

    // A service binds the exchanges of the messages it consumes to its own queues itself (ServiceDefaults/Messaging/QueueBindings.cs),
    // which needs only read on them: it may neither declare nor delete one, so it cannot take an exchange from under the
    // other consumers (every message in these tests reaching its consumers shows the bindings are made).
    [Theory]
    [InlineData("analytics-messaging", "Harbour.Contracts:ReportSubmitted", "analytics-report-submitted")]
    [InlineData("intake-messaging", "Harbour.Contracts:CaseDeleted", "intake-case-deleted")]
    [InlineData("cases-messaging", "Harbour.Contracts:ReporterWrote", "cases-reporter-wrote")]
    [InlineData("notifications-messaging", "Harbour.Contracts:DepartmentAlertRequested", "notifications-department-alert")]
    public async Task AServiceMayBindButNeitherDeclareNorDeleteTheExchangeOfAMessageItConsumes(string user, string exchange, string queue)
    {
        await using var connection = await new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(await harbour.ConnectionStringAsync(user)) }.CreateConnectionAsync();
        await using (var binding = await connection.CreateChannelAsync())
            await binding.ExchangeBindAsync(queue, exchange, "");
        await NeitherDeletedNorDeclaredAsync(connection, exchange);
    }

    // The user of the connection is refused deleting the exchange and declaring it (one permission, configure, covers both);
    // the exchange is still there.
    static async Task NeitherDeletedNorDeclaredAsync(RabbitMQ.Client.IConnection connection, string exchange)
    {
        await using (var deleting = await connection.CreateChannelAsync())
        {
            var refused = await Should.ThrowAsync<RabbitMQ.Client.Exceptions.OperationInterruptedException>(() => deleting.ExchangeDeleteAsync(exchange));
            refused.ShutdownReason!.ReplyCode.ShouldBe((ushort)403, "the exchange may not be deleted");
        }
        await using (var declaring = await connection.CreateChannelAsync())
        {
            var refused = await Should.ThrowAsync<RabbitMQ.Client.Exceptions.OperationInterruptedException>(
                () => declaring.ExchangeDeclareAsync(exchange, "fanout", durable: true));
            refused.ShutdownReason!.ReplyCode.ShouldBe((ushort)403, "nor declared, which needs the same permission as deleting it");
        }
        await using var still = await connection.CreateChannelAsync();
        await still.ExchangeDeclarePassiveAsync(exchange);
    }

    // The one fault a service consumes, it may publish as MassTransit does when notifications gives up on a department alert:
    // declare the fault's exchange and MassTransit:Fault, bind the one to the other, publish, and receive it on its own queue.
    [Fact]
    public async Task TheServiceThatConsumesAMessagesFaultMayPublishAndReceiveIt()
    {
        const string fault = "MassTransit:Fault--Harbour.Contracts:DepartmentAlertRequested--";
        await using var connection = await new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(await harbour.ConnectionStringAsync("notifications-messaging")) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(fault, "fanout", durable: true);
        await channel.ExchangeDeclareAsync("MassTransit:Fault", "fanout", durable: true);
        await channel.ExchangeBindAsync("MassTransit:Fault", fault, "");
        var queue = $"notifications-fault-check-{Guid.NewGuid():N}";
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(queue, fault, "");
        await channel.BasicPublishAsync(fault, "", mandatory: false, new RabbitMQ.Client.BasicProperties(), new ReadOnlyMemory<byte>("{}"u8.ToArray()));

        BasicGetResult? received = null;
        for (var tries = 0; received is null && tries < 50; tries++)
            if ((received = await channel.BasicGetAsync(queue, autoAck: true)) is null) await Task.Delay(100);
        received.ShouldNotBeNull("the fault reached notifications' own queue");
    }
}
