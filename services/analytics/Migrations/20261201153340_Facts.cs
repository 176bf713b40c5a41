using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbour.Analytics.Migrations
{
    /// <inheritdoc />
    public partial class Facts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Running totals give way to one fact per event. The totals cannot be turned back into facts, so figures start
            // again from the events consumed after this version (no installation held real reports before it).
            migrationBuilder.DropTable(
                name: "counted_reports");

            migrationBuilder.DropTable(
                name: "report_counts");

            migrationBuilder.CreateTable(
                name: "closures",
                columns: table => new
                {
                    closure_key = table.Column<Guid>(type: "uuid", nullable: false),
                    case_key = table.Column<Guid>(type: "uuid", nullable: false),
                    submitted_on = table.Column<DateOnly>(type: "date", nullable: false),
                    closed_on = table.Column<DateOnly>(type: "date", nullable: false),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    outcome = table.Column<string>(type: "text", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    categories = table.Column<List<string>>(type: "text[]", nullable: false),
                    location = table.Column<string>(type: "text", nullable: false),
                    learning_summary = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    tags = table.Column<List<string>>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_closures", x => x.closure_key);
                });

            migrationBuilder.CreateTable(
                name: "referrals",
                columns: table => new
                {
                    referral_key = table.Column<Guid>(type: "uuid", nullable: false),
                    case_key = table.Column<Guid>(type: "uuid", nullable: false),
                    service_id = table.Column<string>(type: "text", nullable: false),
                    how = table.Column<string>(type: "text", nullable: false),
                    made_on = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_referrals", x => x.referral_key);
                });

            migrationBuilder.CreateTable(
                name: "reopenings",
                columns: table => new
                {
                    case_key = table.Column<Guid>(type: "uuid", nullable: false),
                    reopened_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reopenings", x => new { x.case_key, x.reopened_at });
                });

            migrationBuilder.CreateTable(
                name: "reports",
                columns: table => new
                {
                    case_key = table.Column<Guid>(type: "uuid", nullable: false),
                    submitted_on = table.Column<DateOnly>(type: "date", nullable: false),
                    submitted_hour = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    categories = table.Column<List<string>>(type: "text[]", nullable: false),
                    location = table.Column<string>(type: "text", nullable: false),
                    reporter_role = table.Column<string>(type: "text", nullable: false),
                    channel = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reports", x => x.case_key);
                });

            migrationBuilder.CreateTable(
                name: "uptakes",
                columns: table => new
                {
                    referral_key = table.Column<Guid>(type: "uuid", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    uptake = table.Column<string>(type: "text", nullable: false),
                    helped = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_uptakes", x => new { x.referral_key, x.recorded_at });
                });

            migrationBuilder.CreateTable(
                name: "steps",
                columns: table => new
                {
                    closure_key = table.Column<Guid>(type: "uuid", nullable: false),
                    step = table.Column<string>(type: "text", nullable: false),
                    met_in_time = table.Column<bool>(type: "boolean", nullable: false),
                    days = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_steps", x => new { x.closure_key, x.step });
                    table.ForeignKey(
                        name: "fk_steps_closures_closure_key",
                        column: x => x.closure_key,
                        principalTable: "closures",
                        principalColumn: "closure_key",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_closures_case_key",
                table: "closures",
                column: "case_key");

            migrationBuilder.CreateIndex(
                name: "ix_closures_submitted_on",
                table: "closures",
                column: "submitted_on");

            migrationBuilder.CreateIndex(
                name: "ix_referrals_made_on",
                table: "referrals",
                column: "made_on");

            migrationBuilder.CreateIndex(
                name: "ix_reports_submitted_on",
                table: "reports",
                column: "submitted_on");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "referrals");

            migrationBuilder.DropTable(
                name: "reopenings");

            migrationBuilder.DropTable(
                name: "reports");

            migrationBuilder.DropTable(
                name: "steps");

            migrationBuilder.DropTable(
                name: "uptakes");

            migrationBuilder.DropTable(
                name: "closures");

            migrationBuilder.CreateTable(
                name: "counted_reports",
                columns: table => new
                {
                    report_id = table.Column<Guid>(type: "uuid", nullable: false),
                    counted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_counted_reports", x => x.report_id);
                });

            migrationBuilder.CreateTable(
                name: "report_counts",
                columns: table => new
                {
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    dimension = table.Column<string>(type: "text", nullable: false),
                    value = table.Column<string>(type: "text", nullable: false),
                    count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_report_counts", x => new { x.month, x.dimension, x.value });
                });
        }
    }
}
