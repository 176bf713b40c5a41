using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbour.Cases.Migrations
{
    /// <inheritdoc />
    public partial class QueueOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.AddColumn<DateOnly>(
                name: "next_due_on",
                table: "cases",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "next_step",
                table: "cases",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "awaiting_assignment",
                table: "cases",
                type: "boolean",
                nullable: false,
                computedColumnSql: "assignee_id IS NULL AND status <> 'closed'",
                stored: true);

            // Cases opened before: their next step from their clocks, as Case.TrackSteps takes it.
            migrationBuilder.Sql("""
                UPDATE cases c SET next_step = s.step, next_due_on = s.due_on
                FROM (SELECT DISTINCT ON (case_id) case_id, step, due_on FROM case_steps WHERE met_at IS NULL
                      ORDER BY case_id, due_on, step COLLATE "C") s
                WHERE s.case_id = c.id;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_cases_awaiting_assignment_next_due_on_submitted_at_reference",
                table: "cases",
                columns: new[] { "awaiting_assignment", "next_due_on", "submitted_at", "reference" },
                descending: new[] { true, false, false, false });

            migrationBuilder.CreateIndex(
                name: "ix_cases_reference_trigrams",
                table: "cases",
                column: "reference")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_cases_awaiting_assignment_next_due_on_submitted_at_reference",
                table: "cases");

            migrationBuilder.DropIndex(
                name: "ix_cases_reference_trigrams",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "awaiting_assignment",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "next_due_on",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "next_step",
                table: "cases");

            migrationBuilder.AlterDatabase()
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,");
        }
    }
}
