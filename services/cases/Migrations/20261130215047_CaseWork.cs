using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbour.Cases.Migrations
{
    /// <inheritdoc />
    public partial class CaseWork : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "assignee_id",
                table: "cases",
                type: "character varying(450)",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "closed_at",
                table: "cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "outcome",
                table: "cases",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sealed_learning_summary",
                table: "cases",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "case_steps",
                columns: table => new
                {
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    step = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    due_on = table.Column<DateOnly>(type: "date", nullable: false),
                    working_days = table.Column<int>(type: "integer", nullable: false),
                    met_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    met_by = table.Column<string>(type: "text", nullable: true),
                    how = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    breached_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_case_steps", x => new { x.case_id, x.step });
                });

            migrationBuilder.CreateTable(
                name: "case_timeline",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    actor = table.Column<string>(type: "text", nullable: false),
                    subject = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    sealed_text = table.Column<string>(type: "text", nullable: true),
                    corrects = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_case_timeline", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_cases_assignee_id",
                table: "cases",
                column: "assignee_id");

            migrationBuilder.CreateIndex(
                name: "ix_case_steps_due_on",
                table: "case_steps",
                column: "due_on",
                filter: "met_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_case_timeline_case_id_at",
                table: "case_timeline",
                columns: new[] { "case_id", "at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_steps");

            migrationBuilder.DropTable(
                name: "case_timeline");

            migrationBuilder.DropIndex(
                name: "ix_cases_assignee_id",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "assignee_id",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "closed_at",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "outcome",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "sealed_learning_summary",
                table: "cases");
        }
    }
}
