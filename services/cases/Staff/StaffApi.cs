using System.Security.Claims;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Harbour.Cases.Staff;

// Staff accounts as JSON, for admins (the same work as /cases/staff). Mistakes come back as a ValidationProblem naming
// each field; an unknown account is 404.
internal static class StaffApi
{
    public static RouteGroupBuilder MapStaffApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/staff").RequireAuthorization(StaffPolicies.Administration);
        api.MapGet("/", async (CasesDbContext db, TimeProvider clock, CancellationToken ct) => TypedResults.Ok(await db.ListStaffAsync(clock, ct)))
            .WithSummary("Every staff account and waiting invitation");
        api.MapPost("/invitations", InviteAsync)
            .WithSummary("Invite someone: they are emailed a link, valid 7 days, to choose a passphrase. A second invitation to an address with one waiting changes nothing.");
        api.MapPut("/{id}", ChangeAsync).WithSummary("Change a name, roles and teams; a change of roles ends the account's sessions");
        api.MapPost("/{id}/disable", (string id, [AsParameters] AccountRequest request, CancellationToken ct) => SetDisabledAsync(id, true, request, ct))
            .WithSummary("Disable an account: its sessions end at once and it cannot sign in");
        api.MapPost("/{id}/enable", (string id, [AsParameters] AccountRequest request, CancellationToken ct) => SetDisabledAsync(id, false, request, ct))
            .WithSummary("Enable a disabled account");
        api.MapPost("/{id}/reset-second-factor", ResetSecondFactorAsync)
            .WithSummary("Reset an account's second factor (a lost phone): its authenticator app and recovery codes stop working, its sessions end, and its next sign-in sets up a new app. 204; 404 for an unknown account");
        return api;
    }

    // The public key staff tokens are checked with, as an OpenID Connect discovery document and its key set, for the
    // other services (StaffAuthentication.KeysPath). Public keys only: anyone may read them.
    public static void MapStaffKeys(this IEndpointRouteBuilder app)
    {
        app.MapGet(StaffAuthentication.KeysPath, (HttpRequest request) => TypedResults.Ok(new
            {
                issuer = StaffAuthentication.Issuer,
                jwks_uri = $"{request.Scheme}://{request.Host}{request.PathBase}/cases/.well-known/jwks",
                id_token_signing_alg_values_supported = new[] { "ES256" },
            }))
            .WithSummary("Where the public key of staff tokens is (OpenID Connect Discovery 1.0 shape; issuer \"harbour\")");
        app.MapGet("/cases/.well-known/jwks", (StaffTokenIssuer issuer) => TypedResults.Ok(issuer.KeySet()))
            .WithSummary("The public key staff tokens are signed with (JSON Web Key Set, RFC 7517; ES256 on P-256)");
    }

    internal sealed record AccountRequest(CasesDbContext Db, UserManager<StaffUser> Users, ClaimsPrincipal Admin, IConfiguration Configuration,
        [FromKeyedServices(Sealer.Mail)] Sealer Mail, TimeProvider Clock);

    static async Task<Results<Created<StaffAccountView>, ValidationProblem>> InviteAsync(InvitationRequest invitation,
        [AsParameters] AccountRequest request, CancellationToken ct)
    {
        var (sent, errors) = await request.Db.InviteAsync(invitation, request.Admin, request.Configuration, request.Mail, request.Clock, ct);
        if (sent is null) return TypedResults.ValidationProblem(errors);
        return TypedResults.Created((string?)null, new StaffAccountView(null, sent.DisplayName, sent.Email, sent.Roles, sent.Teams, sent.TeamLead, "invited", sent.ExpiresAt));
    }

    static async Task<Results<NoContent, NotFound, ValidationProblem>> ChangeAsync(string id, AccountChange change, [AsParameters] AccountRequest request,
        CancellationToken ct)
    {
        var (found, errors) = await request.Db.ChangeAccountAsync(request.Users, id, change, request.Admin, request.Clock, ct);
        return !found ? TypedResults.NotFound() : errors.Count > 0 ? TypedResults.ValidationProblem(errors) : TypedResults.NoContent();
    }

    static async Task<Results<NoContent, NotFound, ValidationProblem>> SetDisabledAsync(string id, bool disabled, AccountRequest request, CancellationToken ct)
    {
        var (found, problem) = await request.Db.SetDisabledAsync(request.Users, id, disabled, request.Admin, request.Clock, ct);
        return !found ? TypedResults.NotFound()
            : problem is not null ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [problem] })
            : TypedResults.NoContent();
    }

    static async Task<Results<NoContent, NotFound>> ResetSecondFactorAsync(string id, [AsParameters] AccountRequest request, CancellationToken ct) =>
        await request.Db.ResetSecondFactorAsync(request.Users, id, request.Admin, request.Clock, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
}
