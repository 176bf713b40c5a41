using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbour.Cases.Migrations
{
    /// <inheritdoc />
    public partial class SessionSecondFactorAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "second_factor_at",
                table: "staff_sessions",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));
            // A session open during the upgrade checked its second factor as it started.
            migrationBuilder.Sql("UPDATE staff_sessions SET second_factor_at = started_at;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "second_factor_at",
                table: "staff_sessions");
        }
    }
}
