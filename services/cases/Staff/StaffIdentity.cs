using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Identity;

namespace Harbour.Cases.Staff;

public static class StaffIdentity
{
    public static IHostApplicationBuilder AddStaffIdentity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddIdentityCore<StaffUser>(options =>
            {
                // Long passphrases beat composition rules (NCSC guidance); one easy to guess is refused (GuessablePassphrases).
                // Guessing is slowed down (SignInThrottle), never locked out: a lockout would let anyone keep a case manager
                // out of their cases.
                options.Password.RequiredLength = 12;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireDigit = false;
                options.Lockout.AllowedForNewUsers = false;
                options.User.RequireUniqueEmail = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<CasesDbContext>()
            .AddSignInManager()
            .AddPasswordValidator<GuessablePassphrases>()
            .AddDefaultTokenProviders()
            .AddUserStore<StaffUserStore>();
        // Keys shared by every replica and kept across restarts: the second-factor cookie, antiforgery tokens.
        builder.Services.AddSealedDataProtection<CasesDbContext>("harbour-cases");
        return builder;
    }

    // Second factors set up before they were protected, or under a report key since replaced, protected now (StaffUserStore).
    public static async Task ProtectSecondFactorsAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var changed = await StaffUserStore.ProtectSecondFactorsAsync(scope.ServiceProvider.GetRequiredService<CasesDbContext>(),
            scope.ServiceProvider.GetRequiredService<Sealer>(), scope.ServiceProvider.GetRequiredService<IPasswordHasher<StaffUser>>(), app.Logger);
        if (changed > 0) app.Logger.LogInformation("Second-factor secrets of {Count} accounts sealed or hashed anew", changed);
    }

    // The first Admin comes from configuration (a secret parameter), so a new installation can be signed in to.
    public static async Task EnsureBootstrapAdminAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in StaffRoles.All)
            if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));

        var email = app.Configuration["Harbour:AdminEmail"] ?? "admin@harbour.local";
        var password = app.Configuration["Harbour:AdminPassword"];
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        if (string.IsNullOrEmpty(password) || await users.FindByEmailAsync(email) is not null) return;

        var admin = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Administrator" };
        var created = await users.CreateAsync(admin, password);
        if (!created.Succeeded)
            throw new InvalidOperationException("The bootstrap admin could not be created: "
                + string.Join(" ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(admin, StaffRoles.Admin);
        app.Logger.LogInformation("Bootstrap admin {Email} created", email);
    }
}
