using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbour.Cases.Migrations
{
    /// <inheritdoc />
    public partial class AuditChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "hash",
                table: "audit_log",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "previous_hash",
                table: "audit_log",
                type: "bytea",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_at",
                table: "audit_log",
                column: "at");

            // What an entry's hash covers, as text the database always writes the same way (UTC time, JSON array).
            // Every new entry is chained to the one before it, one writer at a time, its id taken under the lock so that
            // id order is chain order.
            migrationBuilder.Sql("""
                CREATE FUNCTION audit_log_content(id bigint, at timestamptz, actor text, action text, case_id uuid, detail text)
                RETURNS bytea LANGUAGE sql STABLE AS $$
                    SELECT convert_to(jsonb_build_array(id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
                        actor, action, case_id, detail)::text, 'UTF8') $$;

                CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE previous bytea;
                BEGIN
                    PERFORM pg_advisory_xact_lock(hashtext('audit_log_chain'));
                    NEW.id := nextval(pg_get_serial_sequence('audit_log', 'id'));
                    SELECT hash INTO previous FROM audit_log ORDER BY id DESC LIMIT 1;
                    NEW.previous_hash := previous;
                    NEW.hash := sha256(coalesce(previous, ''::bytea)
                        || audit_log_content(NEW.id, NEW.at, NEW.actor, NEW.action, NEW.case_id, NEW.detail));
                    RETURN NEW;
                END $$;

                ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
                DO $$
                DECLARE entry record; previous bytea := NULL; next bytea;
                BEGIN
                    FOR entry IN SELECT * FROM audit_log ORDER BY id LOOP
                        next := sha256(coalesce(previous, ''::bytea)
                            || audit_log_content(entry.id, entry.at, entry.actor, entry.action, entry.case_id, entry.detail));
                        UPDATE audit_log SET previous_hash = previous, hash = next WHERE id = entry.id;
                        previous := next;
                    END LOOP;
                END $$;
                ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;

                CREATE TRIGGER audit_log_chained BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

                -- The entries whose link is broken: their content no longer gives their hash (edited), or the hash before
                -- them is not the one they were chained to (an entry before them removed or edited).
                CREATE FUNCTION audit_log_broken_links() RETURNS TABLE (id bigint) LANGUAGE sql STABLE AS $$
                    SELECT id FROM (
                        SELECT a.id, a.hash, a.previous_hash, lag(a.hash) OVER (ORDER BY a.id) AS before,
                            sha256(coalesce(a.previous_hash, ''::bytea)
                                || audit_log_content(a.id, a.at, a.actor, a.action, a.case_id, a.detail)) AS recomputed
                        FROM audit_log a) chain
                    WHERE hash IS DISTINCT FROM recomputed OR previous_hash IS DISTINCT FROM before
                    ORDER BY id $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION audit_log_broken_links();
                DROP TRIGGER audit_log_chained ON audit_log;
                DROP FUNCTION audit_log_chain();
                DROP FUNCTION audit_log_content(bigint, timestamptz, text, text, uuid, text);
                """);
            migrationBuilder.DropIndex(
                name: "ix_audit_log_at",
                table: "audit_log");

            migrationBuilder.DropColumn(
                name: "hash",
                table: "audit_log");

            migrationBuilder.DropColumn(
                name: "previous_hash",
                table: "audit_log");
        }
    }
}
