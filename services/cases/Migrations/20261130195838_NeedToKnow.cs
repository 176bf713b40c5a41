using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbour.Cases.Migrations
{
    /// <inheritdoc />
    public partial class NeedToKnow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "teams",
                table: "cases",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            // Cases opened before routing: the teams their categories needed under the version they were opened under.
            migrationBuilder.Sql("""
                UPDATE cases c SET teams = coalesce((
                    SELECT array_agg(DISTINCT category->>'specialism')
                    FROM profile_versions v, jsonb_array_elements(v.content->'categories') AS category
                    WHERE v.version = c.profile_version AND category->>'id' = ANY(c.categories) AND category->>'specialism' IS NOT NULL), '{}');
                """);

            migrationBuilder.CreateTable(
                name: "case_involvements",
                columns: table => new
                {
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    recorded_by = table.Column<string>(type: "text", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_case_involvements", x => new { x.case_id, x.user_id });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_involvements");

            migrationBuilder.DropColumn(
                name: "teams",
                table: "cases");
        }
    }
}
