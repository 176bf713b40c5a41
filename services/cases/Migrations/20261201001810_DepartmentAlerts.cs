using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbour.Cases.Migrations
{
    /// <inheritdoc />
    public partial class DepartmentAlerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "department_alerts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    department_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    department = table.Column<string>(type: "text", nullable: false),
                    recipient = table.Column<string>(type: "text", nullable: false),
                    subject = table.Column<string>(type: "text", nullable: false),
                    sealed_body = table.Column<string>(type: "text", nullable: false),
                    urgent = table.Column<bool>(type: "boolean", nullable: false),
                    identity_shared = table.Column<bool>(type: "boolean", nullable: false),
                    requested_by = table.Column<string>(type: "text", nullable: false),
                    requested_by_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    acknowledge_by = table.Column<DateOnly>(type: "date", nullable: false),
                    delivered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    acknowledged_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    failed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    failure_reason = table.Column<string>(type: "text", nullable: true),
                    reminded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_department_alerts", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_department_alerts_acknowledge_by",
                table: "department_alerts",
                column: "acknowledge_by",
                filter: "acknowledged_at IS NULL AND failed_at IS NULL AND reminded_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_department_alerts_case_id",
                table: "department_alerts",
                column: "case_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "department_alerts");
        }
    }
}
