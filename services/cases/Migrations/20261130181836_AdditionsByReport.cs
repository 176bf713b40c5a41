using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbour.Cases.Migrations
{
    /// <inheritdoc />
    public partial class AdditionsByReport : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Messages and files belong to the report from now on, so that they are kept before its case opens.
            migrationBuilder.Sql("UPDATE case_messages m SET case_id = c.report_id FROM cases c WHERE m.case_id = c.id;");
            migrationBuilder.Sql("UPDATE case_evidence e SET case_id = c.report_id FROM cases c WHERE e.case_id = c.id;");
            // Unsent rows of ReporterMessageSent are CaseManagerWrote now.
            migrationBuilder.Sql("""
                UPDATE outbox_messages SET type = 'Harbour.Contracts.CaseManagerWrote',
                    payload = (payload - 'SentAt') || jsonb_build_object('WrittenAt', payload->'SentAt')
                WHERE type = 'Harbour.Contracts.ReporterMessageSent' AND sent_at IS NULL;
                """);
            migrationBuilder.RenameColumn(
                name: "case_id",
                table: "case_messages",
                newName: "report_id");

            migrationBuilder.RenameIndex(
                name: "ix_case_messages_case_id_at",
                table: "case_messages",
                newName: "ix_case_messages_report_id_at");

            migrationBuilder.RenameColumn(
                name: "case_id",
                table: "case_evidence",
                newName: "report_id");

            migrationBuilder.RenameIndex(
                name: "ix_case_evidence_case_id",
                table: "case_evidence",
                newName: "ix_case_evidence_report_id");

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE case_messages m SET report_id = c.id FROM cases c WHERE m.report_id = c.report_id;");
            migrationBuilder.Sql("UPDATE case_evidence e SET report_id = c.id FROM cases c WHERE e.report_id = c.report_id;");
            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_sent",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "trace_parent",
                table: "outbox_messages");

            migrationBuilder.RenameColumn(
                name: "report_id",
                table: "case_messages",
                newName: "case_id");

            migrationBuilder.RenameIndex(
                name: "ix_case_messages_report_id_at",
                table: "case_messages",
                newName: "ix_case_messages_case_id_at");

            migrationBuilder.RenameColumn(
                name: "report_id",
                table: "case_evidence",
                newName: "case_id");

            migrationBuilder.RenameIndex(
                name: "ix_case_evidence_report_id",
                table: "case_evidence",
                newName: "ix_case_evidence_case_id");
        }
    }
}
