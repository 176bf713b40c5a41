using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbour.Analytics.Migrations
{
    /// <inheritdoc />
    public partial class StepsCarryTheirReportDate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "submitted_on",
                table: "steps",
                type: "date",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            // Steps kept before: their closure's report date.
            migrationBuilder.Sql("UPDATE steps s SET submitted_on = c.submitted_on FROM closures c WHERE c.closure_key = s.closure_key;");

            migrationBuilder.CreateIndex(
                name: "ix_steps_submitted_on",
                table: "steps",
                column: "submitted_on");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_steps_submitted_on",
                table: "steps");

            migrationBuilder.DropColumn(
                name: "submitted_on",
                table: "steps");
        }
    }
}
