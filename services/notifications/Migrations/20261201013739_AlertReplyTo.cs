using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbour.Notifications.Migrations
{
    /// <inheritdoc />
    public partial class AlertReplyTo : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "reply_to",
                table: "department_alerts",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "reply_to",
                table: "department_alerts");
        }
    }
}
