using System.Security.Claims;
using Harbour.Cases.Audit;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace Harbour.Cases.Staff;

// Optional sign-in with the university's identity provider: OpenID Connect, authorization code flow with PKCE, switched
// on by Staff:Sso:Authority. The provider's groups decide the roles (Staff:Sso:Roles:{Admin,CaseManager,Analyst}, each a
// list of group names, claim Staff:Sso:GroupsClaim, "groups" by default) at every sign-in; teams stay with Harbour's
// admins. Someone in none of those groups is refused and no account is made. A provider that says a second factor was
// used (the ID token's "amr" holds "mfa", RFC 8176) is trusted for it; otherwise Harbour asks for its own, as after a
// passphrase: there is still no way round a second factor (OWASP ASVS 5.0 V6.3.3, V6.8).
public static class SingleSignOn
{
    public const string Scheme = "sso";
    public const string StartPath = "/cases/sign-in/sso";
    const string CallbackPath = "/cases/sign-in/sso/callback";

    public static bool IsOn(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration["Staff:Sso:Authority"]);

    // What the sign-in page calls it, e.g. "University of Harbour account".
    public static string DisplayName(IConfiguration configuration) => configuration["Staff:Sso:DisplayName"] ?? "university account";

    public static IHostApplicationBuilder AddSingleSignOn(this IHostApplicationBuilder builder)
    {
        var sso = builder.Configuration.GetSection("Staff:Sso");
        if (!IsOn(builder.Configuration)) return builder;
        builder.Services.AddAuthentication().AddOpenIdConnect(Scheme, options =>
        {
            options.Authority = sso["Authority"];
            options.ClientId = sso["ClientId"];
            options.ClientSecret = sso["ClientSecret"];
            options.RequireHttpsMetadata = sso.GetValue("RequireHttpsMetadata", true);
            options.ResponseType = "code";
            options.ResponseMode = "query";
            options.UsePkce = true;
            options.CallbackPath = CallbackPath;
            options.MapInboundClaims = false;
            options.SaveTokens = false;
            options.Scope.Clear();
            foreach (var scope in (sso["Scopes"] ?? "openid profile email").Split(' ', StringSplitOptions.RemoveEmptyEntries))
                options.Scope.Add(scope);
            // The provider sends the browser back with a top-level GET: Lax cookies come with it, over http in development too.
            options.CorrelationCookie.SameSite = options.NonceCookie.SameSite = SameSiteMode.Lax;
            options.CorrelationCookie.SecurePolicy = options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Events.OnTicketReceived = SignedInAtProviderAsync;
            options.Events.OnRemoteFailure = context =>
            {
                context.HttpContext.RequestServices.GetRequiredService<ILogger<SignInModel>>()
                    .LogWarning("Single sign-on did not complete: {Reason}", context.Failure?.GetType().Name);
                context.Response.Redirect($"{StaffAuthentication.SignInPath}?sso=failed");
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });
        return builder;
    }

    // GET /cases/sign-in/sso?returnUrl=...: off to the provider (or back to the sign-in page when single sign-on is off).
    public static void MapSingleSignOn(this IEndpointRouteBuilder app) =>
        app.MapGet(StartPath, (string? returnUrl, IConfiguration configuration) => IsOn(configuration)
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = LocalOrCases(returnUrl) }, [Scheme])
                : Results.Redirect(StaffAuthentication.SignInPath))
            .WithSummary("Sign in with the university's identity provider (OpenID Connect); 302 to the provider, or to /cases/sign-in when it is not set up")
            .ExcludeFromDescription();

    // The provider has vouched for the person: find (or, for someone in a Harbour group, make) their account, bring its
    // roles in line with their groups, and go on to the second factor or straight in.
    static async Task SignedInAtProviderAsync(TicketReceivedContext context)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        var services = http.RequestServices;
        var configuration = services.GetRequiredService<IConfiguration>();
        var users = services.GetRequiredService<UserManager<StaffUser>>();
        var db = services.GetRequiredService<CasesDbContext>();
        var clock = services.GetRequiredService<TimeProvider>();
        var person = context.Principal!;
        var subject = person.FindFirstValue("sub")!;
        var email = person.FindFirstValue("email")?.Trim() ?? "";
        var roles = RolesFor(person, configuration);
        var client = SignInThrottle.ClientOf(http.Request);

        var user = await users.FindByLoginAsync(Scheme, subject);
        if (user is null && email.Length > 0 && await users.FindByEmailAsync(email) is { } sameAddress)
        {
            user = sameAddress;
            await users.AddLoginAsync(user, new UserLoginInfo(Scheme, subject, DisplayName(configuration)));
        }
        if (roles.Count == 0 || user?.DisabledAt is not null || (user is null && email.Length == 0))
        {
            db.AuditLog.Add(AuditEntry.By(user is null ? "no such account" : AuditEntry.ActorOf(user), "staff.sign-in-refused", clock,
                detail: $"single sign-on as {Shorten(email)} ({(roles.Count == 0 ? "in no Harbour group" : "account disabled")}) from {client}"));
            await db.SaveChangesAsync(http.RequestAborted);
            http.Response.Redirect($"{StaffAuthentication.SignInPath}?sso=refused");
            return;
        }
        user ??= await JoinAsync(users, db, person, subject, email, roles, configuration, clock);
        await users.MatchRolesAsync(user, roles, db, clock, http.RequestAborted);

        var back = Uri.EscapeDataString(LocalOrCases(context.Properties?.RedirectUri));
        if (person.FindAll("amr").Any(c => c.Value == "mfa"))
        {
            await http.CompleteAsync(user, users, db, configuration, clock, how: "through single sign-on");
            http.Response.Redirect(LocalOrCases(context.Properties?.RedirectUri));
            return;
        }
        // The provider did not ask for a second factor: Harbour does, as after a passphrase.
        http.Response.PasswordChecked(user, services.GetRequiredService<IDataProtectionProvider>(), configuration);
        http.Response.Redirect(user.TwoFactorEnabled ? $"/cases/sign-in/code?returnUrl={back}" : $"/cases/sign-in/enrol?returnUrl={back}");
    }

    static List<string> RolesFor(ClaimsPrincipal person, IConfiguration configuration)
    {
        var groupsClaim = configuration["Staff:Sso:GroupsClaim"] ?? "groups";
        var groups = person.FindAll(groupsClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return StaffRoles.All.Where(role => configuration.GetSection($"Staff:Sso:Roles:{role}").Get<string[]>()?.Any(groups.Contains) == true).ToList();
    }

    static async Task<StaffUser> JoinAsync(UserManager<StaffUser> users, CasesDbContext db, ClaimsPrincipal person, string subject, string email,
        List<string> roles, IConfiguration configuration, TimeProvider clock)
    {
        var name = person.FindFirstValue("name") is { Length: > 0 } given ? given.Trim() : email;
        var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = Shorten(name) };
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
            throw new InvalidOperationException("A single sign-on account could not be made: " + string.Join(" ", created.Errors.Select(e => e.Code)));
        await users.AddLoginAsync(user, new UserLoginInfo(Scheme, subject, DisplayName(configuration)));
        db.AuditLog.Add(AuditEntry.By(AuditEntry.ActorOf(user), "staff.joined", clock, detail: $"through single sign-on as {string.Join(", ", roles)}"));
        return user;
    }

    // The provider's groups are the truth for roles: a change ends the account's other sessions, as an admin's would.
    static async Task MatchRolesAsync(this UserManager<StaffUser> users, StaffUser user, List<string> roles, CasesDbContext db, TimeProvider clock,
        CancellationToken ct)
    {
        var held = await users.GetRolesAsync(user);
        if (held.Order().SequenceEqual(roles.Order())) return;
        await users.RemoveFromRolesAsync(user, held.Except(roles));
        await users.AddToRolesAsync(user, roles.Except(held));
        await db.EndAllAsync(user.Id, "roles changed", clock, ct);
        db.AuditLog.Add(AuditEntry.By("single sign-on", "staff.changed", clock, detail: $"{user.Email}: {string.Join(", ", roles)} from the provider's groups"));
        await db.SaveChangesAsync(ct);
    }

    static string LocalOrCases(string? url) =>
        url is { Length: > 1 } && url[0] == '/' && url[1] is not '/' and not '\\' ? url : "/cases";

    static string Shorten(string text) => text.Length > 200 ? text[..200] : text;
}
