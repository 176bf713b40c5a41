using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Harbour.ServiceDefaults.Security;

public static class StaffRoles
{
    public const string Admin = "Admin", CaseManager = "CaseManager", Analyst = "Analyst";
    public static readonly string[] All = [Admin, CaseManager, Analyst];
}

public static class StaffPolicies
{
    public const string CaseWork = "case-work", Analytics = "analytics", Administration = "administration";
}

// Staff sign in once, at cases; the session is a signed token (ES256) in an HttpOnly cookie that every staff-facing service
// checks, so no service shares a database. Only cases holds the signing key (StaffTokenIssuer); the others read its public
// half from cases' key document (Harbour:StaffKeys) and can check a token but never make one. The token names its session
// ("sid"), which cases holds: cases refuses a token whose session has ended (signed out, idle, revoked).
public static class StaffAuthentication
{
    // Served over TLS the cookie is __Host-harbour_staff (Secure, whole site, this host only: OWASP ASVS 5.0 V3.3.1).
    public const string CookieName = "harbour_staff", SecureCookieName = "__Host-harbour_staff";
    public const string SignInPath = "/cases/sign-in";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);
    public const string Issuer = "harbour";
    // Where a service that does not sign tokens finds the key that does: cases' OpenID Connect discovery document.
    public const string KeysPath = "/cases/.well-known/openid-configuration";
    const string KeysClient = "staff-keys";

    // checkSession: the service's own look at the session the token names (cases holds them; others follow the ends cases
    // announces); a check that fails the context refuses the token. issuer: given only in cases, which signs the tokens.
    public static IHostApplicationBuilder AddStaffAuthentication(this IHostApplicationBuilder builder,
        Func<TokenValidatedContext, Task>? checkSession = null, StaffTokenIssuer? issuer = null)
    {
        var keys = builder.Configuration["Harbour:StaffKeys"] ?? $"http://cases{KeysPath}";
        builder.Services.AddHttpClient(KeysClient);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            if (issuer is null)
            {
                // Fetched once and kept (refreshed when a token names a key not seen yet); inside the service network.
                options.MetadataAddress = keys;
                options.RequireHttpsMetadata = keys.StartsWith("https:", StringComparison.OrdinalIgnoreCase);
            }
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = Issuer,
                ValidAudience = Issuer,
                IssuerSigningKey = issuer?.VerifyingKey,
                ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
                NameClaimType = "name",
                RoleClaimType = "role",
                ClockSkew = TimeSpan.FromMinutes(1),
            };
            options.Events = new JwtBearerEvents
            {
                OnTokenValidated = context => checkSession?.Invoke(context) ?? Task.CompletedTask,
                // The key document could not be read (cases unreachable before the first fetch): not signed in, rather than a 500.
                OnAuthenticationFailed = context =>
                {
                    context.Fail(context.Exception);
                    return Task.CompletedTask;
                },
                OnMessageReceived = context =>
                {
                    // Over TLS only the __Host- cookie counts: a sibling site cannot plant it.
                    var name = CookieNameFor(context.Request, context.HttpContext.RequestServices.GetRequiredService<IConfiguration>());
                    if (context.Request.Cookies.TryGetValue(name, out var token)) context.Token = token;
                    return Task.CompletedTask;
                },
                OnChallenge = context =>
                {
                    // Pages send people to sign in; APIs answer 401.
                    if (context.Request.Path.StartsWithSegments("/api")) return Task.CompletedTask;
                    context.HandleResponse();
                    var back = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
                    context.Response.Redirect($"{SignInPath}?returnUrl={Uri.EscapeDataString(back)}");
                    return Task.CompletedTask;
                },
            };
        });
        // The key document is fetched through service discovery ("http://cases"), like every call between services.
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IHttpClientFactory>((options, clients) => options.Backchannel = clients.CreateClient(KeysClient));
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicies.CaseWork, policy => policy.RequireRole(StaffRoles.Admin, StaffRoles.CaseManager))
            .AddPolicy(StaffPolicies.Analytics, policy => policy.RequireRole(StaffRoles.Admin, StaffRoles.Analyst))
            .AddPolicy(StaffPolicies.Administration, policy => policy.RequireRole(StaffRoles.Admin));
        return builder;
    }

    public static bool IsSecure(HttpRequest request, IConfiguration configuration) =>
        request.IsHttps || configuration["Harbour:PublicUrl"]?.StartsWith("https:", StringComparison.OrdinalIgnoreCase) == true;

    public static string CookieNameFor(HttpRequest request, IConfiguration configuration) =>
        IsSecure(request, configuration) ? SecureCookieName : CookieName;

    public static CookieOptions CookieOptions(HttpRequest request, IConfiguration configuration) => new()
    {
        HttpOnly = true,
        Secure = IsSecure(request, configuration),
        SameSite = SameSiteMode.Strict,
        Path = "/",
        MaxAge = Lifetime,
    };
}
