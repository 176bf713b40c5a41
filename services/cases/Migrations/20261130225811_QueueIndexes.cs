using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbour.Cases.Migrations
{
    /// <inheritdoc />
    public partial class QueueIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_case_steps_due_on",
                table: "case_steps");

            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "cases",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            migrationBuilder.CreateIndex(
                name: "ix_cases_categories",
                table: "cases",
                column: "categories")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_cases_status",
                table: "cases",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_cases_submitted_at",
                table: "cases",
                column: "submitted_at");

            migrationBuilder.CreateIndex(
                name: "ix_cases_tags",
                table: "cases",
                column: "tags")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_cases_teams",
                table: "cases",
                column: "teams")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_case_steps_due_on",
                table: "case_steps",
                column: "due_on",
                filter: "met_at IS NULL AND breached_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_cases_categories",
                table: "cases");

            migrationBuilder.DropIndex(
                name: "ix_cases_status",
                table: "cases");

            migrationBuilder.DropIndex(
                name: "ix_cases_submitted_at",
                table: "cases");

            migrationBuilder.DropIndex(
                name: "ix_cases_tags",
                table: "cases");

            migrationBuilder.DropIndex(
                name: "ix_cases_teams",
                table: "cases");

            migrationBuilder.DropIndex(
                name: "ix_case_steps_due_on",
                table: "case_steps");

            migrationBuilder.DropColumn(
                name: "xmin",
                table: "cases");

            migrationBuilder.CreateIndex(
                name: "ix_case_steps_due_on",
                table: "case_steps",
                column: "due_on",
                filter: "met_at IS NULL");
        }
    }
}
