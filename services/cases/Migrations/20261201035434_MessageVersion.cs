using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbour.Cases.Migrations
{
    /// <inheritdoc />
    public partial class MessageVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "case_messages",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "xmin",
                table: "case_messages");
        }
    }
}
