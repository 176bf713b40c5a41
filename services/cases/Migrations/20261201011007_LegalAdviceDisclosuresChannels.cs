using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbour.Cases.Migrations
{
    /// <inheritdoc />
    public partial class LegalAdviceDisclosuresChannels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "purpose",
                table: "department_alerts",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "inform");

            migrationBuilder.AddColumn<string>(
                name: "channel",
                table: "cases",
                type: "text",
                nullable: false,
                defaultValue: "form");

            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "case_meetings",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            migrationBuilder.CreateTable(
                name: "case_disclosures",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    sealed_report = table.Column<string>(type: "text", nullable: true),
                    recorded_by_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    recorded_by = table.Column<string>(type: "text", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    reference = table.Column<string>(type: "text", nullable: true),
                    report_id = table.Column<Guid>(type: "uuid", nullable: true),
                    sealed_receipt = table.Column<string>(type: "text", nullable: true),
                    sealed_problems = table.Column<string>(type: "text", nullable: true),
                    answered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_case_disclosures", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "case_legal_advice",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sealed_advice = table.Column<string>(type: "text", nullable: false),
                    recorded_by = table.Column<string>(type: "text", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_case_legal_advice", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_case_disclosures_recorded_by_id",
                table: "case_disclosures",
                column: "recorded_by_id");

            migrationBuilder.CreateIndex(
                name: "ix_case_legal_advice_case_id",
                table: "case_legal_advice",
                column: "case_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_disclosures");

            migrationBuilder.DropTable(
                name: "case_legal_advice");

            migrationBuilder.DropColumn(
                name: "purpose",
                table: "department_alerts");

            migrationBuilder.DropColumn(
                name: "channel",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "xmin",
                table: "case_meetings");
        }
    }
}
