using Microsoft.EntityFrameworkCore.Migrations;
using System;

#nullable disable

namespace Harbour.Cases.Migrations
{
    /// <inheritdoc />
    public partial class AuditLogKeptByItsOwnRole : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The audit log moves to audit.log, which the audit role made before this service started (AppHost/DatabaseRoles.cs):
            // its entries are written again there in their order, chained afresh, and the old table and its functions go.
            migrationBuilder.Sql("""
                DO $$ BEGIN
                    IF to_regclass('audit.log') IS NULL THEN
                        RAISE EXCEPTION 'audit.log is missing: the audit log is made by its own role before this service starts (the AppHost does it; see docs/operations.md)';
                    END IF;
                END $$;
                INSERT INTO audit.log (at, actor, action, case_id, detail, screen)
                    SELECT at, actor, action, case_id, detail, screen FROM audit_log ORDER BY id;
                -- Chaining afresh must not hide a break in the old chain: the move is itself an entry, naming any.
                INSERT INTO audit.log (at, actor, action, detail)
                    SELECT now(), 'system', 'audit.moved', format('%s entries moved; old chain: %s', (SELECT count(*) FROM audit_log),
                        coalesce((SELECT 'broken at ids ' || string_agg(id::text, ', ' ORDER BY id) FROM audit_log_broken_links()), 'holds'))
                    WHERE EXISTS (SELECT FROM audit_log);
                DROP TABLE audit_log;
                DROP FUNCTION audit_log_broken_links();
                DROP FUNCTION audit_log_chain();
                DROP FUNCTION audit_log_content(bigint, timestamptz, text, text, uuid, text, text);
                DROP FUNCTION audit_log_content(bigint, timestamptz, text, text, uuid, text);
                DROP FUNCTION audit_log_is_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            throw new NotSupportedException("The audit log is never moved back under the service's own role.");
    }
}
