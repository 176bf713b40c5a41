using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

public static class Database
{
    // One way to reach a service's own database: Aspire's Npgsql integration, snake_case names.
    public static IHostApplicationBuilder AddDatabase<TContext>(this IHostApplicationBuilder builder, string connectionName)
        where TContext : DbContext
    {
        builder.AddNpgsqlDbContext<TContext>(connectionName,
            configureDbContextOptions: options => options.UseSnakeCaseNamingConvention());
        return builder;
    }

    // Checked-in migrations are applied at start; Migrate creates the database when it is missing.
    public static async Task MigrateDatabaseAsync<TContext>(this WebApplication app) where TContext : DbContext
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        // A migration may rewrite a large table (analytics' tallies of a million reports take a minute): no page's timeout.
        db.Database.SetCommandTimeout(TimeSpan.FromHours(1));
        await db.Database.MigrateAsync();
        app.Logger.LogInformation("Database {Database} is up to date", db.Database.GetDbConnection().Database);
        // Data Protection keys an earlier build kept in clear are sealed now (Harbour.ServiceDefaults.Security.SealedKeyRing).
        if (db is Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.IDataProtectionKeyContext
            && scope.ServiceProvider.GetService<Harbour.ServiceDefaults.Security.KeyRingSealer>() is { } sealer
            && await Harbour.ServiceDefaults.Security.SealedKeyRing.SealEarlierKeysAsync(db, sealer.Sealer) is > 0 and var sealedNow)
            app.Logger.LogInformation("{Count} Data Protection keys kept in clear by an earlier build sealed", sealedNow);
    }

    public static bool IsUniqueViolation(this DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
