using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Harbour.Notifications.Migrations
{
    /// <inheritdoc />
    public partial class DeliveryLogTemplatesStaffSignIn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "purpose",
                table: "deliveries",
                type: "text",
                nullable: false,
                defaultValue: "");

            // Deliveries already logged: their purpose is their key's first part; a reporter's address is not kept in the log.
            migrationBuilder.Sql("UPDATE deliveries SET purpose = split_part(key, '/', 1)");
            migrationBuilder.Sql("UPDATE deliveries SET recipient = 'reporter' WHERE key LIKE 'reporter-message-ready/%' OR key LIKE 'meeting/%/reporter'");

            migrationBuilder.CreateTable(
                name: "delivery_failures",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    key = table.Column<string>(type: "text", nullable: false),
                    purpose = table.Column<string>(type: "text", nullable: false),
                    recipient = table.Column<string>(type: "text", nullable: false),
                    subject = table.Column<string>(type: "text", nullable: false),
                    reason = table.Column<string>(type: "text", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_delivery_failures", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "email_templates",
                columns: table => new
                {
                    purpose = table.Column<string>(type: "text", nullable: false),
                    subject = table.Column<string>(type: "text", nullable: false),
                    text = table.Column<string>(type: "text", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_email_templates", x => x.purpose);
                });

            migrationBuilder.CreateTable(
                name: "ended_sessions",
                columns: table => new
                {
                    session_id = table.Column<Guid>(type: "uuid", nullable: false),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ended_sessions", x => x.session_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_deliveries_purpose_sent_at",
                table: "deliveries",
                columns: new[] { "purpose", "sent_at" });

            migrationBuilder.CreateIndex(
                name: "ix_deliveries_sent_at",
                table: "deliveries",
                column: "sent_at");

            migrationBuilder.CreateIndex(
                name: "ix_delivery_failures_at",
                table: "delivery_failures",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_delivery_failures_key",
                table: "delivery_failures",
                column: "key");

            migrationBuilder.CreateIndex(
                name: "ix_ended_sessions_ended_at",
                table: "ended_sessions",
                column: "ended_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "delivery_failures");

            migrationBuilder.DropTable(
                name: "email_templates");

            migrationBuilder.DropTable(
                name: "ended_sessions");

            migrationBuilder.DropIndex(
                name: "ix_deliveries_purpose_sent_at",
                table: "deliveries");

            migrationBuilder.DropIndex(
                name: "ix_deliveries_sent_at",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "purpose",
                table: "deliveries");
        }
    }
}
