using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Harbour.Cases.Migrations
{
    /// <inheritdoc />
    public partial class SecondFactorAndSecretOutbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "secret",
                table: "outbox_messages",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Invitation links already sent are not kept either.
            migrationBuilder.Sql("""
                UPDATE outbox_messages SET secret = true WHERE type = 'Harbour.Contracts.StaffInvited';
                UPDATE outbox_messages SET payload = '{}' WHERE type = 'Harbour.Contracts.StaffInvited' AND sent_at IS NOT NULL;
                """);

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    friendly_name = table.Column<string>(type: "text", nullable: true),
                    xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_data_protection_keys", x => x.id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropColumn(
                name: "secret",
                table: "outbox_messages");
        }
    }
}
