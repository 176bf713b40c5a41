using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbour.Cases.Migrations
{
    /// <inheritdoc />
    public partial class SupportPlan : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "case_referrals",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    service_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    service = table.Column<string>(type: "text", nullable: false),
                    how = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    made_on = table.Column<DateOnly>(type: "date", nullable: false),
                    recorded_by = table.Column<string>(type: "text", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    uptake = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    helped = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    sealed_note = table.Column<string>(type: "text", nullable: true),
                    uptake_recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    uptake_recorded_by = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_case_referrals", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_case_referrals_case_id",
                table: "case_referrals",
                column: "case_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_referrals");
        }
    }
}
