using System.Collections.Immutable;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Harbour.Cases.Tests;

// A university's identity provider for the single sign-on tests: a real OpenID Connect server (OpenIddict, authorization
// code flow with PKCE, signed ID tokens, discovery and keys), on a loopback port, with its own sign-in page. Its people
// and their groups are set by the test.
public sealed class OpenIdProvider : IAsyncDisposable
{
    public const string ClientId = "harbour-cases", ClientSecret = "a-client-secret-for-the-test-provider";
    const string People = "idp-people";

    /// <summary>Who the provider knows, by user name: their subject, email, name, groups and whether they used a second factor.
    /// SessionAge: the provider ignores prompt=login and max_age for them, and says (auth_time) it authenticated them that
    /// long ago, as a provider keeping its own session would.</summary>
    public sealed record Person(string Subject, string Email, string Name, string[] Groups, bool SecondFactor = true, bool EmailVerified = true,
        TimeSpan? SessionAge = null);

    readonly WebApplication app;
    public Dictionary<string, Person> Known { get; } = [];
    OpenIdProvider(WebApplication app) => this.app = app;

    // Known once the provider listens.
    public Uri Authority => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");

    public static async Task<OpenIdProvider> StartAsync(Uri redirectUri)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var database = Guid.NewGuid().ToString();
        builder.Services.AddDbContext<ProviderDb>(options => options.UseInMemoryDatabase(database).UseOpenIddict());
        builder.Services.AddOpenIddict()
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<ProviderDb>())
            .AddServer(options =>
            {
                options.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
                options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                options.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                options.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, "groups");
                options.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
            });
        builder.Services.AddAuthentication(People).AddCookie(People, options => options.LoginPath = "/login");
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        var provider = new OpenIdProvider(app);

        app.MapGet("/login", (string? returnUrl) => Results.Content(
            $"""<form method="post"><input name="user"><input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl)}"><button>Sign in</button></form>""",
            "text/html"));
        app.MapPost("/login", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            var user = form["user"].ToString();
            if (!provider.Known.ContainsKey(user)) return Results.Content("Unknown user", "text/html", statusCode: 400);
            await http.SignInAsync(People, new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], People)));
            return Results.Redirect(form["returnUrl"].ToString());
        });
        app.MapMethods("/connect/authorize", ["GET", "POST"], async (HttpContext http) =>
        {
            var request = http.GetOpenIddictServerRequest()!;
            var signedIn = await http.AuthenticateAsync(People);
            if (!signedIn.Succeeded)
                return Results.Challenge(new AuthenticationProperties { RedirectUri = http.Request.PathBase + http.Request.Path + http.Request.QueryString }, [People]);
            var person = provider.Known[signedIn.Principal!.Identity!.Name!];
            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, person.Subject).SetClaim(Claims.Email, person.Email).SetClaim(Claims.Name, person.Name)
                .SetClaim(Claims.EmailVerified, person.EmailVerified)
                .SetClaims("groups", [.. person.Groups])
                .SetClaims(Claims.AuthenticationMethodReference, person.SecondFactor ? ["pwd", "mfa"] : ["pwd"])
                .SetClaim(Claims.AuthenticationTime, (person.SessionAge is { } age ? DateTimeOffset.UtcNow - age
                    : signedIn.Properties?.IssuedUtc ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds());
            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.IdentityToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });

        await app.StartAsync();
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            ClientType = ClientTypes.Confidential,
            RedirectUris = { redirectUri },
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.GrantTypes.AuthorizationCode,
                Permissions.ResponseTypes.Code, Permissions.Scopes.Email, Permissions.Scopes.Profile, Permissions.Prefixes.Scope + "groups",
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        });
        return provider;
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();

    sealed class ProviderDb(DbContextOptions<ProviderDb> options) : DbContext(options);
}
