using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbour.Analytics.Migrations
{
    /// <inheritdoc />
    public partial class PseudonymKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "pseudonym_keys",
                columns: table => new
                {
                    position = table.Column<int>(type: "integer", nullable: false),
                    key_id = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    applied_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pseudonym_keys", x => x.position);
                });
            // A rotation moves a closure's key and its steps' in one transaction: the steps' reference is checked at its end.
            migrationBuilder.Sql("ALTER TABLE steps ALTER CONSTRAINT fk_steps_closures_closure_key DEFERRABLE INITIALLY IMMEDIATE");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE steps ALTER CONSTRAINT fk_steps_closures_closure_key NOT DEFERRABLE");
            migrationBuilder.DropTable(
                name: "pseudonym_keys");
        }
    }
}
