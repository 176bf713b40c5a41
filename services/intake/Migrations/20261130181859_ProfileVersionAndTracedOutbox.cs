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

            // Events still waiting: ReportSubmitted now says its profile version (the newest held is the one intake
            // used), and ReporterMessagePosted is ReporterWrote.
            migrationBuilder.Sql("""
                UPDATE outbox_messages SET payload = payload || jsonb_build_object('ProfileVersion',
                    (SELECT coalesce(max(version), 1) FROM profile_snapshots))
                WHERE type = 'Harbour.Contracts.ReportSubmitted' AND sent_at IS NULL;
                UPDATE outbox_messages SET type = 'Harbour.Contracts.ReporterWrote',
                    payload = (payload - 'PostedAt') || jsonb_build_object('WrittenAt', payload->'PostedAt')
                WHERE type = 'Harbour.Contracts.ReporterMessagePosted' AND sent_at IS NULL;
                UPDATE reports SET profile_version = (SELECT coalesce(max(version), 1) FROM profile_snapshots);
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
