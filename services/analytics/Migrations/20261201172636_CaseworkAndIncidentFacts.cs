using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbour.Analytics.Migrations
{
    /// <inheritdoc />
    public partial class CaseworkAndIncidentFacts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "occurred_in",
                table: "reports",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "relation",
                table: "reports",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "acknowledgements",
                columns: table => new
                {
                    alert_key = table.Column<Guid>(type: "uuid", nullable: false),
                    acknowledged_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_acknowledgements", x => x.alert_key);
                });

            migrationBuilder.CreateTable(
                name: "alerts",
                columns: table => new
                {
                    alert_key = table.Column<Guid>(type: "uuid", nullable: false),
                    case_key = table.Column<Guid>(type: "uuid", nullable: false),
                    department_id = table.Column<string>(type: "text", nullable: false),
                    requested_on = table.Column<DateOnly>(type: "date", nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    acknowledge_by = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alerts", x => x.alert_key);
                });

            migrationBuilder.CreateTable(
                name: "breaches",
                columns: table => new
                {
                    case_key = table.Column<Guid>(type: "uuid", nullable: false),
                    step = table.Column<string>(type: "text", nullable: false),
                    due_on = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_breaches", x => new { x.case_key, x.step, x.due_on });
                });

            migrationBuilder.CreateTable(
                name: "meetings",
                columns: table => new
                {
                    meeting_key = table.Column<Guid>(type: "uuid", nullable: false),
                    case_key = table.Column<Guid>(type: "uuid", nullable: false),
                    held = table.Column<bool>(type: "boolean", nullable: false),
                    format = table.Column<string>(type: "text", nullable: false),
                    held_on = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_meetings", x => x.meeting_key);
                });

            migrationBuilder.CreateIndex(
                name: "ix_alerts_requested_on",
                table: "alerts",
                column: "requested_on");

            migrationBuilder.CreateIndex(
                name: "ix_breaches_due_on",
                table: "breaches",
                column: "due_on");

            migrationBuilder.CreateIndex(
                name: "ix_meetings_held_on",
                table: "meetings",
                column: "held_on");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "acknowledgements");

            migrationBuilder.DropTable(
                name: "alerts");

            migrationBuilder.DropTable(
                name: "breaches");

            migrationBuilder.DropTable(
                name: "meetings");

            migrationBuilder.DropColumn(
                name: "occurred_in",
                table: "reports");

            migrationBuilder.DropColumn(
                name: "relation",
                table: "reports");
        }
    }
}
