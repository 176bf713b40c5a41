using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbour.Analytics.Migrations
{
    /// <inheritdoc />
    public partial class ReportTallies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "report_tallies",
                columns: table => new
                {
                    slice = table.Column<string>(type: "text", nullable: false),
                    dimension = table.Column<string>(type: "text", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    value = table.Column<string>(type: "text", nullable: false),
                    reports = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_report_tallies", x => new { x.slice, x.dimension, x.day, x.value });
                });

            // The rows a report adds to, then the tallies of the reports kept before.
            migrationBuilder.Sql(Figures.ReportTallies.Function);
            migrationBuilder.Sql(Figures.ReportTallies.Rebuild);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION report_tally_rows(reports);");
            migrationBuilder.DropTable(
                name: "report_tallies");
        }
    }
}
