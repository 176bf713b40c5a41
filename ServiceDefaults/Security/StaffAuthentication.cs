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

// Staff sign in once, at cases; the session is a signed token in an HttpOnly cookie that every staff-facing service
// checks with the shared Harbour:StaffKey, so no service shares a database. The token names its session ("sid"), which
// cases holds: cases refuses a token whose session has ended (signed out, idle, revoked).
public static class StaffAuthentication
{
    // Served over TLS the cookie is __Host-harbour_staff (Secure, whole site, this host only: OWASP ASVS 5.0 V3.3.1).
    public const string CookieName = "harbour_staff", SecureCookieName = "__Host-harbour_staff";
    public const string SignInPath = "/cases/sign-in";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);
    const string Issuer = "harbour";

    // checkSession: the service's own look at the session the token names (cases holds them; others follow the ends cases
    // announces); a check that fails the context refuses the token.
    public static IHostApplicationBuilder AddStaffAuthentication(this IHostApplicationBuilder builder,
        Func<TokenValidatedContext, Task>? checkSession = null)
    {
        var key = SigningKey(builder.Configuration);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = Issuer,
                ValidAudience = Issuer,
                IssuerSigningKey = key,
                NameClaimType = "name",
                RoleClaimType = "role",
                ClockSkew = TimeSpan.FromMinutes(1),
            };
            options.Events = new JwtBearerEvents
            {
                OnTokenValidated = context => checkSession?.Invoke(context) ?? Task.CompletedTask,
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
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicies.CaseWork, policy => policy.RequireRole(StaffRoles.Admin, StaffRoles.CaseManager))
            .AddPolicy(StaffPolicies.Analytics, policy => policy.RequireRole(StaffRoles.All))
            .AddPolicy(StaffPolicies.Administration, policy => policy.RequireRole(StaffRoles.Admin));
        return builder;
    }

    public static string CreateToken(IConfiguration configuration, string userId, string name, IEnumerable<string> roles,
        Guid sessionId, TimeProvider clock)
    {
        var claims = new List<Claim> { new("sub", userId), new("name", name), new("sid", sessionId.ToString()) };
        claims.AddRange(roles.Select(role => new Claim("role", role)));
        var now = clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Issuer,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            SigningCredentials = new SigningCredentials(SigningKey(configuration), SecurityAlgorithms.HmacSha256),
        });
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

    static SymmetricSecurityKey SigningKey(IConfiguration configuration)
    {
        var secret = configuration["Harbour:StaffKey"];
        if (string.IsNullOrWhiteSpace(secret) || secret.Length < 32)
            throw new InvalidOperationException("Harbour:StaffKey must be a secret of at least 32 characters.");
        return new SymmetricSecurityKey(HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32,
            info: "harbour staff tokens v1"u8.ToArray()));
    }
}
