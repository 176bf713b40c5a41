using Harbour.AppHost;
using Harbour.Testing;
using Harbour.Cases.Audit;
using Harbour.Cases.Retention;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Harbour.Cases.Tests;

// Least privilege in the database (docs/security.md): cases connects as a role of its own, which owns its database and nothing
// else, and may read and add to the audit log but never change it, empty it, or switch off what guards it.
public sealed class DatabaseRoleTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    [Theory]
    [InlineData("UPDATE audit.log SET actor = 'nobody'")]
    [InlineData("UPDATE audit.log SET detail = NULL")]
    [InlineData("DELETE FROM audit.log")]
    [InlineData("TRUNCATE audit.log")]
    [InlineData("ALTER TABLE audit.log DISABLE TRIGGER log_append_only")]
    [InlineData("ALTER TABLE audit.log DISABLE TRIGGER log_entered")]
    [InlineData("UPDATE audit.log SET chain_position = NULL")]
    [InlineData("DROP TABLE audit.log")]
    [InlineData("DROP SCHEMA audit CASCADE")]
    [InlineData("CREATE OR REPLACE FUNCTION audit.content(id bigint, at timestamptz, actor text, action text, case_id uuid, detail text, screen text) RETURNS bytea LANGUAGE sql AS $$ SELECT ''::bytea $$")]
    [InlineData("CREATE TABLE audit.shadow (id int)")]
    [InlineData("CREATE ROLE intruder LOGIN SUPERUSER")]
    [InlineData("CREATE DATABASE elsewhere")]
    public async Task TheServicesRoleIsRefusedAnythingThatWouldRewriteTheAuditLogOrReachFurther(string sql)
    {
        await using var connection = await OpenAsync(cases.ServiceDatabase);

        var refused = await Should.ThrowAsync<PostgresException>(() => ExecuteAsync(connection, sql));

        refused.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege, refused.MessageText);
    }

    [Fact]
    public async Task TheServicesRoleCannotBecomeTheAuditLogsKeeperAndIsNoSuperuser()
    {
        await using var connection = await OpenAsync(cases.ServiceDatabase);
        var role = new NpgsqlConnectionStringBuilder(cases.ServiceDatabase).Username!;

        var becoming = await Should.ThrowAsync<PostgresException>(() => ExecuteAsync(connection, $"SET ROLE \"{role}_audit\""));

        becoming.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        await using var command = new NpgsqlCommand(
            "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls OR rolreplication FROM pg_roles WHERE rolname = current_user", connection);
        ((bool)(await command.ExecuteScalarAsync())!).ShouldBeFalse();
    }

    [Fact]
    public async Task TheServicesRoleIsRefusedAnotherServicesDatabaseAndTheServersOwnFromWhichItCouldDropItsOwn()
    {
        var servers = await TestServers.GetAsync();
        var name = TestServers.UniqueName("intakedb");
        var intake = new DatabaseRoles.Owner(name, name, Guid.NewGuid().ToString("N"));
        await DatabaseRoles.ProvideAsync(servers.Postgres, intake);

        var intoIntake = new NpgsqlConnectionStringBuilder(cases.ServiceDatabase) { Database = intake.Database, Pooling = false };
        var intoCases = new NpgsqlConnectionStringBuilder(DatabaseRoles.ConnectionString(servers.Postgres, intake))
        {
            Database = new NpgsqlConnectionStringBuilder(cases.ServiceDatabase).Database, Pooling = false,
        };

        var intoServer = new NpgsqlConnectionStringBuilder(cases.ServiceDatabase) { Database = "postgres", Pooling = false };
        foreach (var trespass in new[] { intoIntake.ConnectionString, intoCases.ConnectionString, intoServer.ConnectionString })
            (await Should.ThrowAsync<PostgresException>(() => OpenAsync(trespass))).SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        await using var own = await OpenAsync(DatabaseRoles.ConnectionString(servers.Postgres, intake));
    }

    [Fact]
    public async Task EvenTheServersAdminIsStoppedByTheAuditLogsOwnGuard()
    {
        await using var connection = await OpenAsync(cases.AdminDatabase);

        var refused = await Should.ThrowAsync<PostgresException>(() => ExecuteAsync(connection, "UPDATE audit.log SET actor = 'nobody'"));

        refused.MessageText.ShouldBe("the audit log is append-only");
    }

    // Storage limitation (UK GDPR Art. 5(1)(e)): a detail can hold personal data (the network address a sign-in came from); past the period
    // the database keeps (Harbour:AuditDetailMonths, 24 here) it is emptied, and the entry, and the chain through it, stay. The
    // service cannot ask for a shorter period.
    [Fact]
    public async Task AnAuditEntrysDetailIsEmptiedAfterItsPeriodAndTheEntryAndTheChainStay()
    {
        var (old, recent) = ($"from 203.0.113.7 {Guid.NewGuid():N}", $"from 203.0.113.8 {Guid.NewGuid():N}");
        await using var connection = await OpenAsync(cases.ServiceDatabase);
        await ExecuteAsync(connection, $"""
            INSERT INTO audit.log (at, actor, action, detail) VALUES
                (now() - interval '25 months', 'Ada Admin', 'staff.signed-in', '{old}'),
                (now() - interval '10 days', 'Ada Admin', 'staff.signed-in', '{recent}')
            """);
        var entries = await CountAsync(connection);

        await using (var scope = cases.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
            (await RetentionSweep.AuditDetailMonthsAsync(db, CancellationToken.None)).ShouldBe(24);
            (await RetentionSweep.ExpireAuditDetailsAsync(db, CancellationToken.None)).ShouldBeGreaterThanOrEqualTo(1);
        }

        (await CountAsync(connection)).ShouldBe(entries, "no entry goes");
        await using var details = new NpgsqlCommand($"SELECT count(*) FILTER (WHERE detail = '{old}'), count(*) FILTER (WHERE detail = '{recent}'), "
            + "count(*) FILTER (WHERE action = 'staff.signed-in' AND detail IS NULL AND detail_hash IS NOT NULL) FROM audit.log", connection);
        await using (var row = await details.ExecuteReaderAsync())
        {
            (await row.ReadAsync()).ShouldBeTrue();
            (row.GetInt64(0), row.GetInt64(1)).ShouldBe((0L, 1L), "the old detail emptied, the recent one kept");
            row.GetInt64(2).ShouldBeGreaterThanOrEqualTo(1L);
        }
        await ExecuteAsync(connection, "SELECT audit.chain_pending()");
        await using var broken = new NpgsqlCommand("SELECT count(*) FROM audit.broken_links()", connection);
        ((long)(await broken.ExecuteScalarAsync())!).ShouldBe(0, "the chain holds the detail's hash, not the detail");
        var sooner = await Should.ThrowAsync<PostgresException>(() => ExecuteAsync(connection, "SELECT audit.expire_details(now())"));
        sooner.SqlState.ShouldBe(PostgresErrorCodes.UndefinedFunction, "the service cannot name its own period");
    }

    // Not even the log's owner (whom only the server's admin can become) may change an entry other than by emptying its detail.
    [Theory]
    [InlineData("UPDATE audit.log SET actor = 'nobody'")]
    [InlineData("UPDATE audit.log SET detail = 'rewritten'")]
    [InlineData("UPDATE audit.log SET detail = NULL, detail_hash = NULL")]
    [InlineData("UPDATE audit.log SET chain_position = chain_position + 1000000, hash = NULL")]
    public async Task EvenTheAuditLogsOwnerMayOnlyEmptyADetail(string sql)
    {
        (await cases.SignedInAdminAsync()).Dispose();
        await using var connection = await OpenAsync(cases.AdminDatabase);
        var role = new NpgsqlConnectionStringBuilder(cases.ServiceDatabase).Username!;

        var refused = await Should.ThrowAsync<PostgresException>(() => ExecuteAsync(connection, $"SET ROLE \"{role}_audit\"; {sql}"));

        refused.MessageText.ShouldBe("only an audit entry's detail may expire");
    }

    // Writing an entry takes no lock that another transaction holds: the log is chained after entries commit, one chainer at a
    // time, so two transactions that write entries commit side by side (when each entry was chained as it was written, the
    // second waited for the first to commit). The chain follows the order they committed in, not their ids.
    [Fact]
    public async Task WritingAnEntryWaitsForNoOtherTransactionAndTheChainFollowsTheOrderEntriesCommitted()
    {
        (await cases.SignedInAdminAsync()).Dispose();
        var (first, second) = ($"first {Guid.NewGuid():N}", $"second {Guid.NewGuid():N}");
        await using var slow = await OpenAsync(cases.ServiceDatabase);
        await using var quick = await OpenAsync(cases.ServiceDatabase);
        await using var writing = await slow.BeginTransactionAsync();
        await ExecuteAsync(slow, $"INSERT INTO audit.log (at, actor, action, detail) VALUES (now(), 'system', 'test.written', '{first}')");

        // Refused at once rather than kept waiting, were there a lock to wait for.
        await ExecuteAsync(quick, $"""
            SET lock_timeout = '2s';
            INSERT INTO audit.log (at, actor, action, detail) VALUES (now(), 'system', 'test.written', '{second}');
            RESET lock_timeout;
            """);
        await ExecuteAsync(quick, "SELECT audit.chain_pending()");
        (await ChainedAsync(quick)).ShouldContain(e => e.Detail == second, "the second entry chained as soon as it committed");

        await writing.CommitAsync();
        var chained = await Eventually.GetAsync(() => ChainedAsync(quick), c => c.Any(e => e.Detail == first),
            "the first entry chained by the service's own chaining, within seconds");
        var (one, two) = (chained.Single(e => e.Detail == first), chained.Single(e => e.Detail == second));
        one.Id.ShouldBeLessThan(two.Id, "the first was written first");
        one.Position.ShouldBeGreaterThan(two.Position, "and committed after the second");
        await using var broken = new NpgsqlCommand("SELECT count(*) FROM audit.broken_links()", quick);
        ((long)(await broken.ExecuteScalarAsync())!).ShouldBe(0);
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Harbour.Cases.CasesDbContext>();
        (await AuditAnchor.ChainAsync(db, one.Id, default)).ShouldNotBeNull().Holds
            .ShouldBeTrue("the chain worked out again from the entries, in the order they were chained, is the database's");

        static async Task<List<(long Id, long Position, string? Detail)>> ChainedAsync(NpgsqlConnection connection)
        {
            await using var command = new NpgsqlCommand(
                "SELECT id, chain_position, detail FROM audit.log WHERE action = 'test.written' AND chain_position IS NOT NULL", connection);
            await using var rows = await command.ExecuteReaderAsync();
            var entries = new List<(long, long, string?)>();
            while (await rows.ReadAsync()) entries.Add((rows.GetInt64(0), rows.GetInt64(1), rows.IsDBNull(2) ? null : rows.GetString(2)));
            return entries;
        }
    }

    // Someone outside Harbour (with the database server's admin rights, the log's triggers turned off) adds an entry under a
    // number never used (a transaction's that rolled back), below an anchored entry. Like any new entry it joins the chain at
    // its end, so the chain holds (it shows entries changed or removed, not added); the anchor check names it as having
    // joined the chain after the anchored entry, which the anchor does not cover.
    [Fact]
    public async Task AnEntryAddedOutsideHarbourUnderAnEarlierNumberIsNamedByTheAnchorCheck()
    {
        (await cases.SignedInAdminAsync()).Dispose();
        await using var connection = await OpenAsync(cases.ServiceDatabase);
        long unused;
        await using (var rolledBack = await connection.BeginTransactionAsync())
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO audit.log (at, actor, action) VALUES (now(), 'system', 'test.rolled-back') RETURNING id", connection, rolledBack);
            unused = (long)(await insert.ExecuteScalarAsync())!;
            await rolledBack.RollbackAsync();
        }
        await ExecuteAsync(connection, "INSERT INTO audit.log (at, actor, action) VALUES (now(), 'system', 'test.anchored')");
        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        await db.ChainPendingAsync(default);
        var anchor = (await AuditAnchor.ChainAsync(db, null, default)).ShouldNotBeNull();
        anchor.EntryId.ShouldBeGreaterThan(unused);
        var hash = Convert.ToHexStringLower(anchor.Hash);
        (await AuditAnchor.CheckAsync(db, anchor.EntryId, hash, default)).ChainedAfter.ShouldNotContain(unused);

        await cases.OutsideHarbourAsync($"INSERT INTO audit.log (id, at, actor, action) VALUES ({unused}, now() - interval '3 days', 'Ada Admin', 'case.viewed')");

        await ExecuteAsync(connection, "SELECT audit.chain_pending()");
        (await db.BrokenLinksAsync(default)).ShouldBeEmpty("the added entry is chained as any new one is");
        var check = await AuditAnchor.CheckAsync(db, anchor.EntryId, hash, default);
        check.Finding.ShouldBe(AnchorFinding.Holds, "nothing the anchor covers changed");
        check.ChainedAfter.ShouldContain(unused, "a number before the anchored entry's, chained after it");
    }

    [Fact]
    public async Task ProvidingAgainChangesNothingAndKeepsTheLog()
    {
        var admin = await cases.SignedInAdminAsync();
        await admin.GetAsync("/cases");
        await using var before = await OpenAsync(cases.ServiceDatabase);
        var entries = await CountAsync(before);
        var servers = await TestServers.GetAsync();
        var service = new NpgsqlConnectionStringBuilder(cases.ServiceDatabase);

        await DatabaseRoles.ProvideAsync(servers.Postgres,
            new DatabaseRoles.Owner(service.Database!, service.Username!, service.Password!, KeepsAuditLog: true));

        await using var after = await OpenAsync(cases.ServiceDatabase);
        (await CountAsync(after)).ShouldBeGreaterThanOrEqualTo(entries);
        await ExecuteAsync(after, "SELECT audit.chain_pending()");
        await using var broken = new NpgsqlCommand("SELECT count(*) FROM audit.broken_links()", after);
        ((long)(await broken.ExecuteScalarAsync())!).ShouldBe(0);
        await using var asAdmin = await OpenAsync(cases.AdminDatabase);
        await using var password = new NpgsqlCommand($"SELECT rolpassword FROM pg_authid WHERE rolname = '{service.Username}'", asAdmin);
        ((string)(await password.ExecuteScalarAsync())!).ShouldStartWith("SCRAM-SHA-256$4096:", customMessage: "the server was given a verifier");
    }

    [Fact]
    public async Task ManyDatabasesCanBeProvidedAtOnce()
    {
        // Replicas of the AppHost's health check, or test classes of several assemblies, provide at the same moment: grants on
        // the same shared row (the server's own databases) must not meet as "tuple concurrently updated".
        var servers = await TestServers.GetAsync();
        var owners = Enumerable.Range(0, 8).Select(_ => TestServers.UniqueName("manydb"))
            .Select(name => new DatabaseRoles.Owner(name, name, Guid.NewGuid().ToString("N"), KeepsAuditLog: true)).ToList();

        await Task.WhenAll(owners.Concat(owners).Select(owner => Task.Run(() => DatabaseRoles.ProvideAsync(servers.Postgres, owner))));

        foreach (var owner in owners)
        {
            await using var connection = await OpenAsync(DatabaseRoles.ConnectionString(servers.Postgres, owner));
            (await CountAsync(connection)).ShouldBe(0);
        }
    }

    [Fact]
    public void TheVerifierGivenToTheServerIsRfc7677s()
    {
        // RFC 7677's example (password "pencil", its salt, 4096 rounds): these keys give its server signature
        // 6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=, worked out apart from this code.
        DatabaseRoles.ScramVerifier("pencil", Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ==")).ShouldBe(
            "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=");
    }

    static async Task<long> CountAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM audit.log", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
