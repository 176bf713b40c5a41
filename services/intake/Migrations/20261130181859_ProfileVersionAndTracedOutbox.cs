using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbour.Intake.Migrations
{
    /// <inheritdoc />
    public partial class ProfileVersionAndTracedOutbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "profile_version",
                table: "reports",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<string>(
                name: "trace_parent",
                table: "outbox_messages",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_sent",
                table: "outbox_messages",
                column: "sent_at",
                filter: "sent_at IS NOT NULL");

            // Reports made so far were checked against the newest version intake held when they arrived; events still
            // waiting say so too, and ReporterMessagePosted is ReporterWrote.
            migrationBuilder.Sql("""
                UPDATE reports r SET profile_version = coalesce(
                    (SELECT max(s.version) FROM profile_snapshots s WHERE s.published_at <= r.submitted_at), 1);
                UPDATE outbox_messages o SET payload = o.payload || jsonb_build_object('ProfileVersion', r.profile_version)
                FROM reports r
                WHERE o.type = 'Harbour.Contracts.ReportSubmitted' AND o.sent_at IS NULL AND r.id = (o.payload->>'ReportId')::uuid;
                UPDATE outbox_messages SET type = 'Harbour.Contracts.ReporterWrote',
                    payload = (payload - 'PostedAt') || jsonb_build_object('WrittenAt', payload->'PostedAt')
                WHERE type = 'Harbour.Contracts.ReporterMessagePosted' AND sent_at IS NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_sent",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "profile_version",
                table: "reports");

            migrationBuilder.DropColumn(
                name: "trace_parent",
                table: "outbox_messages");
        }
    }
}
