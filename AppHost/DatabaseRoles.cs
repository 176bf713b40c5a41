using System.Text.RegularExpressions;
using Npgsql;

namespace Harbour.AppHost;

// Least privilege between services (docs/security.md): each service connects to PostgreSQL as a role of its own that owns its
// own database and nothing else, is not a superuser, and may not create roles or databases. A database that keeps an audit log
// keeps it in the schema "audit", owned by a second role that nobody signs in as: the service may read the log and add to it,
// never change, remove or empty an entry, switch off its triggers or replace its functions.
//
// Run with the server's admin role, before the service starts and again at every start (each step is idempotent): by the
// AppHost in every mode, and by a test before the service it starts. A database made before roles existed (owned by the
// admin, as every database was) is handed to its role: the database and everything in its public schema.
public static partial class DatabaseRoles
{
    // A service's database: its name, the role the service signs in as, that role's password, and whether it keeps an audit
    // log. Names are lower-case PostgreSQL identifiers (letters, digits, underscores; at most 63 characters).
    // AuditDetailMonths: how long an audit entry keeps its detail (1 to 240 calendar months), kept by the database itself.
    public sealed record Owner(string Database, string Role, string Password, bool KeepsAuditLog = false, int AuditDetailMonths = 24)
    {
        public string AuditRole => $"{Role}_audit";
    }

    // The service's connection string: the admin's server and settings (host, port, TLS...), the service's role and database.
    public static string ConnectionString(string adminConnection, Owner owner) =>
        new NpgsqlConnectionStringBuilder(adminConnection)
        {
            Username = owner.Role, Password = owner.Password, Database = owner.Database,
        }.ConnectionString;

    public static async Task ProvideAsync(string adminConnection, Owner owner, CancellationToken ct = default)
    {
        foreach (var name in new[] { owner.Database, owner.Role })
            if (!Identifier().IsMatch(name)) throw new ArgumentException($"'{name}' is not a lower-case PostgreSQL name.", nameof(owner));
        string role = Quote(owner.Role), database = Quote(owner.Database), audit = Quote(owner.AuditRole);

        // Not pooled: the lock below must end with the connection, not wait in a pool for its next use.
        var adminSettings = new NpgsqlConnectionStringBuilder(adminConnection) { Pooling = false };
        adminSettings.Database ??= "postgres";
        await using var server = new NpgsqlConnection(adminSettings.ConnectionString);
        await server.OpenAsync(ct);
        // One provider at a time on a server (replicas of the AppHost, test classes of several assemblies): two that grant on the
        // same shared row, or make the same role, would meet as "tuple concurrently updated" or a duplicate key. The lock is the
        // session's, held until this connection closes, after the last step below; waited for without a time limit (ct ends it).
        await using (var waiting = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext('harbour.database-roles'))", server) { CommandTimeout = 0 })
            await waiting.ExecuteNonQueryAsync(ct);
        var exists = await ScalarAsync<bool>(server, "SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = @name)", owner.Role, ct);
        // A password cannot be a parameter of CREATE ROLE: the server is given its SCRAM verifier, never the password, so a
        // server that logs statements (log_statement = ddl, or an error) logs nothing a service could sign in with.
        await ExecuteAsync(server, $"""
            {(exists ? "ALTER" : "CREATE")} ROLE {role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
                PASSWORD '{ScramVerifier(owner.Password)}'
            """, ct);
        if (owner.KeepsAuditLog && !await ScalarAsync<bool>(server, "SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = @name)", owner.AuditRole, ct))
            await ExecuteAsync(server, $"CREATE ROLE {audit} NOLOGIN", ct);
        if (await ScalarAsync<bool>(server, "SELECT EXISTS (SELECT FROM pg_database WHERE datname = @name)", owner.Database, ct))
            await ExecuteAsync(server, $"ALTER DATABASE {database} OWNER TO {role}", ct);
        else
            await ExecuteAsync(server, $"CREATE DATABASE {database} OWNER {role} ENCODING 'UTF8' TEMPLATE template0", ct);
        // Nobody but its owner (and the admin) may even connect to it. Nor to the server's own databases, from which an
        // owner could drop its database and the audit log with it (a database cannot be dropped from inside itself).
        await ExecuteAsync(server, $"REVOKE ALL ON DATABASE {database} FROM PUBLIC", ct);
        await ExecuteAsync(server, "REVOKE CONNECT ON DATABASE postgres FROM PUBLIC; REVOKE CONNECT ON DATABASE template1 FROM PUBLIC", ct);

        adminSettings.Database = owner.Database;
        await using var connection = new NpgsqlConnection(adminSettings.ConnectionString);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(connection, $"""
            ALTER SCHEMA public OWNER TO {role};
            REVOKE CREATE ON SCHEMA public FROM PUBLIC;
            {HandOver(owner.Role)}
            """, ct);
        if (owner.AuditDetailMonths is < 1 or > 240) throw new ArgumentException("An audit detail is kept 1 to 240 months.", nameof(owner));
        if (owner.KeepsAuditLog) await ExecuteAsync(connection, AuditLog(role, audit, owner.AuditDetailMonths), ct);
        await transaction.CommitAsync(ct);
    }

    // Tables, views, sequences, functions and types of the public schema that another role owns (the admin, in an installation
    // from before roles) become the service's, except what an extension owns.
    static string HandOver(string role) => $$"""
        DO $$
        DECLARE item record; owner oid := '{{Quote(role)}}'::regrole;
        BEGIN
            FOR item IN
                SELECT format('ALTER %s %s OWNER TO %I', CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                    WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, c.oid::regclass, '{{role}}') AS command
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND c.relowner <> owner
                    AND NOT EXISTS (SELECT FROM pg_depend d
                        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
                UNION ALL
                SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, '{{role}}')
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = 'public' AND p.proowner <> owner
                    AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
                UNION ALL
                SELECT format('ALTER TYPE %s OWNER TO %I', t.oid::regtype, '{{role}}')
                FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'c') AND t.typowner <> owner AND t.typrelid = 0
                    AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
            LOOP
                EXECUTE item.command;
            END LOOP;
        END $$;
        """;

    // The audit log and its rules, made as the audit role. Each entry is chained to the one before it: its hash is SHA-256 of
    // the previous entry's hash and this entry's content (id, UTC time, actor, action, case, the SHA-256 of its detail and,
    // when there is one, screen, as a JSON array), so that an entry edited or removed behind the log's back breaks the chain.
    // An entry is written unchained, and chained just after it commits (audit.chain_pending, which the service runs every
    // second and before every check): one chainer at a time gives each committed entry the next place in the chain
    // (chain_position) and works its hashes out, so that writing an entry waits for no other transaction. (Chaining as each
    // entry was written held one lock from the write to the commit, and every transaction that wrote an entry committed one
    // at a time: docs/benchmarks.md.) Chain order is chain_position, which is id order among the entries committed by then.
    // The functions that write run as the audit role (SECURITY DEFINER, their search path fixed), so that the service needs
    // no right on the log's sequence and none to change an entry. The service: read, add, chain, and have details expire
    // (below), nothing else.
    //
    // A detail (a staff member's address, the network address a sign-in came from, an address typed at a failed sign-in) is personal data kept no longer than
    // needed (UK GDPR Art. 5(1)(e)): audit.expire_details empties the details of entries older than the period, which the
    // database keeps (audit.detail_months, from Harbour:AuditDetailMonths), not the service: a service taken over cannot have
    // details expire sooner. The entry stays, and so does the chain, which holds the detail's hash rather than the detail.
    // Entries chained before detail_hash existed chained their detail itself: theirs are kept.
    static string AuditLog(string role, string audit, int detailMonths) => $$"""
        CREATE SCHEMA IF NOT EXISTS audit AUTHORIZATION {{audit}};
        ALTER SCHEMA audit OWNER TO {{audit}};
        ALTER TABLE IF EXISTS audit.log OWNER TO {{audit}};
        REVOKE ALL ON SCHEMA audit FROM PUBLIC;
        SET LOCAL ROLE {{audit}};
        CREATE TABLE IF NOT EXISTS audit.log (
            id bigint GENERATED BY DEFAULT AS IDENTITY CONSTRAINT pk_log PRIMARY KEY,
            at timestamptz NOT NULL,
            actor text NOT NULL,
            action text NOT NULL,
            case_id uuid NULL,
            detail text NULL,
            screen varchar(200) NULL,
            previous_hash bytea NULL,
            hash bytea NULL);
        ALTER TABLE audit.log ADD COLUMN IF NOT EXISTS detail_hash bytea NULL;
        CREATE INDEX IF NOT EXISTS ix_log_case_id ON audit.log (case_id);
        CREATE INDEX IF NOT EXISTS ix_log_at ON audit.log (at);
        CREATE INDEX IF NOT EXISTS ix_log_detail_kept ON audit.log (at) WHERE detail IS NOT NULL AND detail_hash IS NOT NULL;
        -- Each entry's place in the chain, given once it is chained; entries chained as they were written (before places
        -- existed) take their id, which was their chain order.
        ALTER TABLE audit.log ADD COLUMN IF NOT EXISTS chain_position bigint NULL;
        CREATE UNIQUE INDEX IF NOT EXISTS ix_log_chain_position ON audit.log (chain_position);
        CREATE INDEX IF NOT EXISTS ix_log_unchained ON audit.log (id) WHERE chain_position IS NULL;

        CREATE OR REPLACE FUNCTION audit.content(id bigint, at timestamptz, actor text, action text, case_id uuid, detail text, screen text)
        RETURNS bytea LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
            SELECT convert_to(CASE WHEN screen IS NULL
                THEN jsonb_build_array(id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), actor, action, case_id, detail)
                ELSE jsonb_build_array(id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), actor, action, case_id, detail, screen)
                END::text, 'UTF8') $$;

        -- An entry chained with its detail's hash has eight elements, the hash in the detail's place: the detail may then
        -- expire. (Earlier entries have six or seven, so neither form can pass for the other.)
        CREATE OR REPLACE FUNCTION audit.content(id bigint, at timestamptz, actor text, action text, case_id uuid, detail text, screen text,
            detail_hash bytea)
        RETURNS bytea LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
            SELECT CASE WHEN detail_hash IS NULL THEN audit.content(id, at, actor, action, case_id, detail, screen)
                ELSE convert_to(jsonb_build_array(id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), actor, action, case_id,
                    encode(detail_hash, 'hex'), screen, 'detail-sha256')::text, 'UTF8') END $$;

        -- How many calendar months an entry keeps its detail (Harbour:AuditDetailMonths), set by whoever provides the log.
        CREATE OR REPLACE FUNCTION audit.detail_months() RETURNS integer LANGUAGE sql STABLE AS $$ SELECT {{detailMonths}} $$;

        -- An entry as it is written: its id from the sequence, its detail's hash; its place in the chain and its hashes come later.
        CREATE OR REPLACE FUNCTION audit.entered() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp AS $$
        BEGIN
            NEW.id := nextval(pg_get_serial_sequence('audit.log', 'id'));
            NEW.detail_hash := sha256(convert_to(NEW.detail, 'UTF8'));
            NEW.chain_position := NULL;
            NEW.previous_hash := NULL;
            NEW.hash := NULL;
            RETURN NEW;
        END $$;

        -- Chains the committed entries not yet chained, in id order, after the last chained entry (at most 10,000 a call);
        -- returns how many. One chainer at a time: the lock is held to the end of the calling transaction.
        CREATE OR REPLACE FUNCTION audit.chain_pending() RETURNS integer LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp AS $$
        DECLARE entry audit.log; previous bytea; place bigint; chained integer := 0;
        BEGIN
            PERFORM pg_advisory_xact_lock(hashtext('audit.chain'));
            SELECT l.chain_position, l.hash INTO place, previous FROM audit.log l
                WHERE l.chain_position IS NOT NULL ORDER BY l.chain_position DESC LIMIT 1;
            FOR entry IN SELECT * FROM audit.log l WHERE l.chain_position IS NULL ORDER BY l.id LIMIT 10000 LOOP
                place := coalesce(place, 0) + 1;
                UPDATE audit.log SET chain_position = place, previous_hash = previous,
                    hash = sha256(coalesce(previous, ''::bytea)
                        || audit.content(entry.id, entry.at, entry.actor, entry.action, entry.case_id, entry.detail, entry.screen, entry.detail_hash))
                    WHERE id = entry.id
                    RETURNING hash INTO STRICT previous;
                chained := chained + 1;
            END LOOP;
            RETURN chained;
        END $$;

        -- Nobody changes an entry; only the log's owner, in audit.expire_details, empties a detail.
        CREATE OR REPLACE FUNCTION audit.append_only() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND current_user = (SELECT r.rolname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
                    WHERE c.oid = 'audit.log'::regclass) THEN
                RETURN NULL;
            END IF;
            RAISE EXCEPTION 'the audit log is append-only';
        END $$;

        -- An entry changes twice at most, each by the log's owner: audit.chain_pending gives an unchained entry its place and
        -- hashes (an entry chained before places existed keeps its hashes), and audit.expire_details empties a detail.
        CREATE OR REPLACE FUNCTION audit.only_details_expire() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
        BEGIN
            IF OLD.chain_position IS NULL AND NEW.chain_position IS NOT NULL
                AND (NEW.id, NEW.at, NEW.actor, NEW.action, NEW.case_id, NEW.detail, NEW.screen, NEW.detail_hash)
                    IS NOT DISTINCT FROM (OLD.id, OLD.at, OLD.actor, OLD.action, OLD.case_id, OLD.detail, OLD.screen, OLD.detail_hash)
                AND (OLD.hash IS NULL OR (NEW.previous_hash, NEW.hash) IS NOT DISTINCT FROM (OLD.previous_hash, OLD.hash)) THEN
                RETURN NEW;
            END IF;
            IF NEW.detail IS NOT NULL OR OLD.detail_hash IS NULL OR (NEW.id, NEW.at, NEW.actor, NEW.action, NEW.case_id, NEW.screen,
                    NEW.previous_hash, NEW.hash, NEW.detail_hash, NEW.chain_position)
                IS DISTINCT FROM (OLD.id, OLD.at, OLD.actor, OLD.action, OLD.case_id, OLD.screen, OLD.previous_hash, OLD.hash, OLD.detail_hash,
                    OLD.chain_position) THEN
                RAISE EXCEPTION 'only an audit entry''s detail may expire';
            END IF;
            RETURN NEW;
        END $$;

        -- Empties the details of entries older than audit.detail_months(); returns how many.
        DROP FUNCTION IF EXISTS audit.expire_details(timestamptz);
        CREATE OR REPLACE FUNCTION audit.expire_details() RETURNS integer LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp AS $$
        DECLARE expired integer;
        BEGIN
            UPDATE audit.log l SET detail = NULL
            WHERE l.at < now() - make_interval(months => audit.detail_months()) AND l.detail IS NOT NULL AND l.detail_hash IS NOT NULL;
            GET DIAGNOSTICS expired = ROW_COUNT;
            RETURN expired;
        END $$;

        -- The chained entries whose link is broken, in chain order: their content no longer gives their hash (edited), their
        -- detail is not the one whose hash was chained (edited), or was emptied sooner than expire_details would, or the hash
        -- before them is not the one they were chained to (an entry before them removed or edited).
        CREATE OR REPLACE FUNCTION audit.broken_links() RETURNS TABLE (id bigint) LANGUAGE sql STABLE
        SET search_path = pg_catalog, pg_temp AS $$
            SELECT chain.id FROM (
                SELECT a.id, a.hash, a.previous_hash, a.detail, a.detail_hash, a.at, a.chain_position, lag(a.hash) OVER (ORDER BY a.chain_position) AS before,
                    sha256(coalesce(a.previous_hash, ''::bytea)
                        || audit.content(a.id, a.at, a.actor, a.action, a.case_id, a.detail, a.screen, a.detail_hash)) AS recomputed
                FROM audit.log a WHERE a.chain_position IS NOT NULL) chain
            WHERE chain.hash IS DISTINCT FROM chain.recomputed OR chain.previous_hash IS DISTINCT FROM chain.before
                OR chain.detail_hash IS NOT NULL AND chain.detail_hash IS DISTINCT FROM CASE
                    WHEN chain.detail IS NULL AND chain.at < now() - make_interval(months => audit.detail_months()) THEN chain.detail_hash
                    ELSE sha256(convert_to(chain.detail, 'UTF8')) END
            ORDER BY chain.chain_position $$;

        DROP TRIGGER IF EXISTS log_chained ON audit.log;
        DROP FUNCTION IF EXISTS audit.chain();
        CREATE OR REPLACE TRIGGER log_entered BEFORE INSERT ON audit.log FOR EACH ROW EXECUTE FUNCTION audit.entered();
        CREATE OR REPLACE TRIGGER log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit.log
            FOR EACH STATEMENT EXECUTE FUNCTION audit.append_only();
        CREATE OR REPLACE TRIGGER log_only_details_expire BEFORE UPDATE ON audit.log FOR EACH ROW EXECUTE FUNCTION audit.only_details_expire();
        UPDATE audit.log SET chain_position = id WHERE chain_position IS NULL AND hash IS NOT NULL;

        REVOKE ALL ON audit.log FROM PUBLIC;
        REVOKE ALL ON FUNCTION audit.entered() FROM PUBLIC;
        REVOKE ALL ON FUNCTION audit.chain_pending() FROM PUBLIC;
        REVOKE ALL ON FUNCTION audit.expire_details() FROM PUBLIC;
        RESET ROLE;
        GRANT USAGE ON SCHEMA audit TO {{role}};
        GRANT SELECT, INSERT ON audit.log TO {{role}};
        GRANT EXECUTE ON FUNCTION audit.expire_details() TO {{role}};
        GRANT EXECUTE ON FUNCTION audit.chain_pending() TO {{role}};
        """;

    static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, string name, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("name", name);
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }

    static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    static string Quote(string name) => $"\"{name}\"";

    // PostgreSQL's SCRAM-SHA-256 verifier of a password (RFC 5802, RFC 7677; the form pg_authid keeps):
    // SCRAM-SHA-256$4096:salt$StoredKey:ServerKey, each in base64. Passwords are letters and digits (docs/operations.md), which
    // SASLprep leaves as they are.
    static string ScramVerifier(string password) => ScramVerifier(password, System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public static string ScramVerifier(string password, byte[] salt)
    {
        const int Iterations = 4096;
        var salted = System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(System.Text.Encoding.UTF8.GetBytes(password), salt, Iterations,
            System.Security.Cryptography.HashAlgorithmName.SHA256, 32);
        byte[] Hmac(string text) => System.Security.Cryptography.HMACSHA256.HashData(salted, System.Text.Encoding.UTF8.GetBytes(text));
        var stored = System.Security.Cryptography.SHA256.HashData(Hmac("Client Key"));
        return $"SCRAM-SHA-256${Iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(stored)}:{Convert.ToBase64String(Hmac("Server Key"))}";
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
