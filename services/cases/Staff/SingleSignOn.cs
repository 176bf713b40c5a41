using System.Security.Claims;
using Harbour.Cases.Audit;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Staff;

// Optional sign-in with the university's identity provider: OpenID Connect, authorization code flow with PKCE, switched
// on by Staff:Sso:Authority. The provider's groups decide the roles (Staff:Sso:Roles:{Admin,CaseManager,Analyst}, each a
// list of group names, claim Staff:Sso:GroupsClaim, "groups" by default) at every sign-in; teams stay with Harbour's
// admins. Someone in none of those groups is refused and no account is made. A provider that says a second factor was
// used (the ID token's "amr" holds "mfa", RFC 8176) is trusted for it; otherwise Harbour asks for its own, as after a
// passphrase: there is still no way round a second factor (OWASP ASVS 5.0 V6.3.3, V6.8). An account that exists already
// (invited, or the bootstrap admin) is linked to the provider's subject only if the provider says the address is verified
// ("email_verified", or Staff:Sso:EmailsAreVerified for a provider that vouches for every address), and that first time
// Harbour asks for its own second factor whatever the provider says: a reused or mistyped address at the provider cannot
// take over someone's account.
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
            // Behind the gateway the request's own host is an internal one: the provider must send people to the public address.
            if (builder.Configuration["Harbour:PublicUrl"] is { Length: > 0 } publicUrl)
            {
                var redirectUri = new Uri(new Uri(publicUrl), CallbackPath).ToString();
                options.Events.OnRedirectToIdentityProvider = context =>
                {
                    context.ProtocolMessage.RedirectUri = redirectUri;
                    return Task.CompletedTask;
                };
                options.Events.OnAuthorizationCodeReceived = context =>
                {
                    context.TokenEndpointRequest!.RedirectUri = redirectUri;
                    return Task.CompletedTask;
                };
            }
            options.Events.OnRemoteFailure = async context =>
            {
                context.HandleResponse();
                var services = context.HttpContext.RequestServices;
                services.GetRequiredService<ILogger<SignInModel>>().LogWarning("Single sign-on did not complete: {Reason}", context.Failure?.GetType().Name);
                var db = services.GetRequiredService<CasesDbContext>();
                db.AuditLog.Add(AuditEntry.By("unknown", "staff.sign-in-refused", services.GetRequiredService<TimeProvider>(),
                    detail: $"single sign-on did not complete ({context.Failure?.GetType().Name}) from {SignInThrottle.ClientOf(context.Request)}"));
                await db.SaveChangesAsync(context.HttpContext.RequestAborted);
                context.Response.Redirect($"{StaffAuthentication.SignInPath}?sso=failed");
            };
        });
        return builder;
    }

    // GET /cases/sign-in/sso?returnUrl=...: off to the provider (or back to the sign-in page when single sign-on is off).
    // fresh=true (confirming the second factor again, StepUp): the provider is asked to authenticate the person afresh
    // rather than rely on its own session (OpenID Connect Core 1.0 section 3.1.2.1: prompt=login, max_age=0), and the
    // session asking (its id, and when it asked) travels in the protected state to ConfirmAfreshAsync.
    public static void MapSingleSignOn(this IEndpointRouteBuilder app) =>
        app.MapGet(StartPath, (string? returnUrl, bool? fresh, HttpContext http, IConfiguration configuration, TimeProvider clock) => IsOn(configuration)
                ? Results.Challenge(fresh == true && http.User.FindFirstValue("sid") is { } session
                    ? new OpenIdConnectChallengeProperties(new Dictionary<string, string?>
                    {
                        [ConfirmsSession] = session, [AskedAt] = clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    }) { RedirectUri = LocalOrCases(returnUrl), Prompt = "login", MaxAge = TimeSpan.Zero }
                    : new AuthenticationProperties { RedirectUri = LocalOrCases(returnUrl) }, [Scheme])
                : Results.Redirect(StaffAuthentication.SignInPath))
            .WithSummary("Sign in with the university's identity provider (OpenID Connect); 302 to the provider, or to /cases/sign-in when it is not set up. fresh=true asks the provider to authenticate afresh (prompt=login, max_age=0)")
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
        var verified = person.FindFirstValue("email_verified") == "true" || configuration.GetValue("Staff:Sso:EmailsAreVerified", false);
        var roles = RolesFor(person, configuration);
        var client = SignInThrottle.ClientOf(http.Request);

        var user = await users.FindByLoginAsync(Scheme, subject);
        var linking = user is null && email.Length > 0 ? await users.FindByEmailAsync(email) : null;
        var refusal = roles.Count == 0 ? "in no Harbour group"
            : email.Length == 0 ? "the provider gave no email address"
            : (user ?? linking)?.DisabledAt is not null ? "account disabled"
            : linking is not null && (!verified || (await users.GetLoginsAsync(linking)).Any(l => l.LoginProvider == Scheme))
                ? "the address belongs to an account the provider cannot vouch for"
            : null;
        if (refusal is not null)
        {
            // Someone the provider no longer puts in a Harbour group keeps nothing: their sessions end and their roles go.
            if (roles.Count == 0 && user is not null) await users.MatchRolesAsync(user, roles, db, clock, http.RequestAborted);
            db.AuditLog.Add(AuditEntry.By((user ?? linking) is { } known ? AuditEntry.ActorOf(known) : "no such account", "staff.sign-in-refused", clock,
                detail: $"single sign-on as {Shorten(email)} ({refusal}) from {client}"));
            await db.SaveChangesAsync(http.RequestAborted);
            await ContinueAsync(http, $"{StaffAuthentication.SignInPath}?sso=refused");
            return;
        }
        if (linking is not null)
        {
            if (!(await users.AddLoginAsync(linking, new UserLoginInfo(Scheme, subject, DisplayName(configuration)))).Succeeded)
                throw new InvalidOperationException("The account could not be linked to the provider.");
            db.AuditLog.Add(AuditEntry.By(AuditEntry.ActorOf(linking), "staff.sso-linked", clock, detail: $"from {client}"));
        }
        user ??= linking ?? await JoinAsync(users, db, person, subject, email, roles, configuration, clock);
        if (user is null)
        {
            await ContinueAsync(http, $"{StaffAuthentication.SignInPath}?sso=failed");
            return;
        }
        await users.MatchRolesAsync(user, roles, db, clock, http.RequestAborted);

        // Where the person was going: the handler moves it from the properties to ReturnUri before this event.
        var back = LocalOrCases(context.ReturnUri);
        if (context.Properties?.Items.TryGetValue(ConfirmsSession, out var session) == true && linking is null)
        {
            await ConfirmAfreshAsync(http, user, person, session, context.Properties.Items.TryGetValue(AskedAt, out var askedAt) ? askedAt : null, back, db, clock);
            return;
        }
        if (linking is null && person.FindAll("amr").Any(c => c.Value == "mfa"))
        {
            // The provider's second factor counts from when it checked it: a provider answering from a session of its own
            // (no auth_time, or an old one) does not make the most sensitive work skip its confirmation (StepUp).
            await http.CompleteAsync(user, users, db, configuration, clock, how: "through single sign-on",
                secondFactorAt: AuthenticatedAt(person) ?? DateTimeOffset.UnixEpoch);
            await ContinueAsync(http, back);
            return;
        }
        // The provider did not ask for a second factor, or this is the account's first sign-in through it: Harbour asks.
        http.Response.PasswordChecked(user, services.GetRequiredService<IDataProtectionProvider>(), configuration);
        await ContinueAsync(http, $"/cases/sign-in/{(user.TwoFactorEnabled ? "code" : "enrol")}?returnUrl={Uri.EscapeDataString(back)}");
    }

    const string ConfirmsSession = "harbour-confirms-session", AskedAt = "harbour-asked-at";
    // How far the provider's clock may be behind Harbour's when it says when it authenticated the person (auth_time).
    static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    // The second factor confirmed again through the provider (StepUp): the session that asked is marked confirmed, as a
    // code typed at /cases/confirm would mark it, and no new session starts. Only when the provider authenticated this
    // very person afresh, with a second factor: the ID token's auth_time no earlier than the request (OpenID Connect Core
    // 1.0 section 3.1.2.1 asks the client to check it after max_age) and "mfa" in its amr. Otherwise nothing is confirmed
    // and the person is back at /cases/confirm with what went wrong; either way it is audited.
    static async Task ConfirmAfreshAsync(HttpContext http, StaffUser user, ClaimsPrincipal person, string? session, string? askedAt,
        string back, CasesDbContext db, TimeProvider clock)
    {
        var authenticatedAt = AuthenticatedAt(person);
        var asked = long.TryParse(askedAt, out var since) ? DateTimeOffset.FromUnixTimeSeconds(since) : DateTimeOffset.MaxValue;
        var problem = authenticatedAt is null || authenticatedAt < asked - ClockSkew ? "the provider did not sign the person in afresh"
            : !person.FindAll("amr").Any(c => c.Value == "mfa") ? "the provider did not check a second factor"
            : !Guid.TryParse(session, out var id) || await db.StaffSessions
                .Where(s => s.Id == id && s.UserId == user.Id && s.EndedAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.SecondFactorAt, clock.GetUtcNow()), http.RequestAborted) != 1
                ? "the session that asked has ended or is someone else's"
            : null;
        db.AuditLog.Add(problem is null
            ? AuditEntry.By(AuditEntry.ActorOf(user), "staff.second-factor-confirmed", clock, detail: $"through single sign-on for {back}")
            : AuditEntry.By(AuditEntry.ActorOf(user), "staff.second-factor-refused", clock, detail: $"single sign-on: {problem}, from {SignInThrottle.ClientOf(http.Request)}"));
        await db.SaveChangesAsync(http.RequestAborted);
        await ContinueAsync(http, problem is null ? back : $"/cases/confirm?sso=refused&returnUrl={Uri.EscapeDataString(back)}");
    }

    // When the provider last authenticated the person: the ID token's auth_time (seconds since 1970), or null when it
    // gives none or one no clock could show.
    static DateTimeOffset? AuthenticatedAt(ClaimsPrincipal person) =>
        long.TryParse(person.FindFirstValue("auth_time"), out var at) && at is > 0 and < 253402300800 ? DateTimeOffset.FromUnixTimeSeconds(at) : null;

    // The provider sent the browser here from its own site, so this response's redirects would still count as cross-site and
    // the browser would hold back Harbour's SameSite=Strict cookies: a page that moves on by itself makes the next request
    // Harbour's own.
    static Task ContinueAsync(HttpContext http, string url)
    {
        var encoded = System.Net.WebUtility.HtmlEncode(url);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        return http.Response.WriteAsync($"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={encoded}"><title>Signing in</title></head>
            <body><p><a href="{encoded}">Continue</a></p></body></html>
            """, http.RequestAborted);
    }

    static List<string> RolesFor(ClaimsPrincipal person, IConfiguration configuration)
    {
        var groupsClaim = configuration["Staff:Sso:GroupsClaim"] ?? "groups";
        var groups = person.FindAll(groupsClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return StaffRoles.All.Where(role => configuration.GetSection($"Staff:Sso:Roles:{role}").Get<string[]>()?.Any(groups.Contains) == true).ToList();
    }

    // A new account for someone the provider puts in a Harbour group; null (and audited) when Identity will not take it,
    // for instance a second first sign-in racing this one.
    static async Task<StaffUser?> JoinAsync(UserManager<StaffUser> users, CasesDbContext db, ClaimsPrincipal person, string subject, string email,
        List<string> roles, IConfiguration configuration, TimeProvider clock)
    {
        var name = person.FindFirstValue("name") is { Length: > 0 } given ? given.Trim() : email;
        var user = new StaffUser { UserName = $"sso-{Guid.NewGuid():N}", Email = email, EmailConfirmed = true, DisplayName = Shorten(name) };
        var created = await users.CreateAsync(user);
        if (created.Succeeded) created = await users.AddLoginAsync(user, new UserLoginInfo(Scheme, subject, DisplayName(configuration)));
        if (!created.Succeeded)
        {
            db.AuditLog.Add(AuditEntry.By("single sign-on", "staff.sign-in-refused", clock,
                detail: $"no account could be made for {Shorten(email)}: {string.Join(" ", created.Errors.Select(e => e.Code))}"));
            await db.SaveChangesAsync();
            return null;
        }
        db.AuditLog.Add(AuditEntry.By(AuditEntry.ActorOf(user), "staff.joined", clock, detail: $"through single sign-on as {string.Join(", ", roles)}"));
        return user;
    }

    // The provider's groups are the truth for roles: a change ends the account's other sessions, as an admin's would.
    static async Task MatchRolesAsync(this UserManager<StaffUser> users, StaffUser user, List<string> roles, CasesDbContext db, TimeProvider clock,
        CancellationToken ct)
    {
        var held = await users.GetRolesAsync(user);
        // Harbour keeps at least one admin who can sign in, whatever the provider's groups say.
        if (held.Contains(StaffRoles.Admin) && !roles.Contains(StaffRoles.Admin) && await StaffAccounts.EnabledAdminsAsync(db, ct) <= 1)
            roles = [.. roles, StaffRoles.Admin];
        if (held.Order().SequenceEqual(roles.Order())) return;
        await users.RemoveFromRolesAsync(user, held.Except(roles));
        await users.AddToRolesAsync(user, roles.Except(held));
        await db.EndAllAsync(user.Id, "roles changed", clock, ct);
        db.AuditLog.Add(AuditEntry.By("single sign-on", "staff.changed", clock, detail: $"{user.Email}: {string.Join(", ", roles)} from the provider's groups"));
        await db.SaveChangesAsync(ct);
    }

    // A path on this site, printable ASCII only (a tab or a backslash can turn "/x" into another site in a browser).
    static string LocalOrCases(string? url) =>
        url is { Length: > 1 } && url[0] == '/' && url[1] is not '/' && url.All(c => c is > ' ' and < (char)127 and not '\\') ? url : "/cases";

    static string Shorten(string text) => text.Length > 200 ? text[..200] : text;
}
