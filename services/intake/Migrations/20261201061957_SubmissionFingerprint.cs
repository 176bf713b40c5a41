using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbour.Intake.Migrations
{
    /// <inheritdoc />
    public partial class SubmissionFingerprint : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "submission_fingerprint",
                table: "reports",
                type: "bytea",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "submission_fingerprint",
                table: "reports");
        }
    }
}
