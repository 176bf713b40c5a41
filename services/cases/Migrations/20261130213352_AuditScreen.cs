using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbour.Cases.Migrations
{
    /// <inheritdoc />
    public partial class AuditScreen : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "screen",
                table: "audit_log",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            // The hash now covers the screen too. An entry without one (all those written before) hashes exactly as before,
            // so the chain written so far still verifies.
            migrationBuilder.Sql("""
                CREATE FUNCTION audit_log_content(id bigint, at timestamptz, actor text, action text, case_id uuid, detail text, screen text)
                RETURNS bytea LANGUAGE sql STABLE AS $$
                    SELECT CASE WHEN screen IS NULL THEN audit_log_content(id, at, actor, action, case_id, detail)
                        ELSE convert_to(jsonb_build_array(id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
                            actor, action, case_id, detail, screen)::text, 'UTF8') END $$;

                CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE previous bytea;
                BEGIN
                    PERFORM pg_advisory_xact_lock(hashtext('audit_log_chain'));
                    NEW.id := nextval(pg_get_serial_sequence('audit_log', 'id'));
                    SELECT hash INTO previous FROM audit_log ORDER BY id DESC LIMIT 1;
                    NEW.previous_hash := previous;
                    NEW.hash := sha256(coalesce(previous, ''::bytea)
                        || audit_log_content(NEW.id, NEW.at, NEW.actor, NEW.action, NEW.case_id, NEW.detail, NEW.screen));
                    RETURN NEW;
                END $$;

                CREATE OR REPLACE FUNCTION audit_log_broken_links() RETURNS TABLE (id bigint) LANGUAGE sql STABLE AS $$
                    SELECT id FROM (
                        SELECT a.id, a.hash, a.previous_hash, lag(a.hash) OVER (ORDER BY a.id) AS before,
                            sha256(coalesce(a.previous_hash, ''::bytea)
                                || audit_log_content(a.id, a.at, a.actor, a.action, a.case_id, a.detail, a.screen)) AS recomputed
                        FROM audit_log a) chain
                    WHERE hash IS DISTINCT FROM recomputed OR previous_hash IS DISTINCT FROM before
                    ORDER BY id $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
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
                CREATE OR REPLACE FUNCTION audit_log_broken_links() RETURNS TABLE (id bigint) LANGUAGE sql STABLE AS $$
                    SELECT id FROM (
                        SELECT a.id, a.hash, a.previous_hash, lag(a.hash) OVER (ORDER BY a.id) AS before,
                            sha256(coalesce(a.previous_hash, ''::bytea)
                                || audit_log_content(a.id, a.at, a.actor, a.action, a.case_id, a.detail)) AS recomputed
                        FROM audit_log a) chain
                    WHERE hash IS DISTINCT FROM recomputed OR previous_hash IS DISTINCT FROM before
                    ORDER BY id $$;
                DROP FUNCTION audit_log_content(bigint, timestamptz, text, text, uuid, text, text);
                """);
            migrationBuilder.DropColumn(
                name: "screen",
                table: "audit_log");
        }
    }
}
