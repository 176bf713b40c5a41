using System.Security.Claims;
using System.Text;
using Harbour.Cases.Audit;
using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Profile;

// Export and import of the whole profile as one JSON or YAML file, for admins who keep it under version
// control or move it between environments.
internal static class ProfileApi
{
    const int MaxFileBytes = 1_000_000;

    public static RouteGroupBuilder MapProfileApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/profile").RequireAuthorization(StaffPolicies.Administration);
        api.MapGet("/", ExportCurrentAsync);
        api.MapGet("/versions", async (CasesDbContext db, CancellationToken ct) => TypedResults.Ok(
            await db.ProfileVersions.OrderByDescending(v => v.Version)
                .Select(v => new ProfileVersionSummary(v.Version, v.ChangedBy, v.ChangedAt, v.Summary)).ToListAsync(ct)));
        api.MapGet("/versions/{version:int}", ExportVersionAsync);
        api.MapPut("/", ImportAsync);
        return api;
    }

    public static bool IsYaml(string? contentTypeOrName) => contentTypeOrName?.Contains("yaml") == true || contentTypeOrName?.EndsWith(".yml") == true;

    static async Task<Results<FileContentHttpResult, NotFound>> ExportCurrentAsync(string? format, CasesDbContext db, CancellationToken ct) =>
        await db.CurrentProfileAsync(ct) is { } current ? Export(current, format) : TypedResults.NotFound();

    static async Task<Results<FileContentHttpResult, NotFound>> ExportVersionAsync(int version, string? format, CasesDbContext db,
        CancellationToken ct) =>
        await db.ProfileVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Version == version, ct) is { } found
            ? Export(found, format) : TypedResults.NotFound();

    static FileContentHttpResult Export(ProfileVersion version, string? format)
    {
        var yaml = format == "yaml";
        var text = ProfileFile.Write(version.Profile, yaml);
        return TypedResults.File(Encoding.UTF8.GetBytes(text), yaml ? "application/yaml" : "application/json",
            $"harbour-profile-v{version.Version}.{(yaml ? "yaml" : "json")}");
    }

    static async Task<Results<Ok<ProfileImported>, ValidationProblem, ProblemHttpResult>> ImportAsync(HttpRequest request,
        CasesDbContext db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var type = request.ContentType ?? "";
        if (!type.Contains("json") && !IsYaml(type))
            return TypedResults.Problem("Send the profile as application/json or application/yaml.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        if (request.ContentLength > MaxFileBytes)
            return TypedResults.Problem("A profile file must be under 1 MB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        var text = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync(ct);
        var change = await db.ImportProfileAsync(text, IsYaml(type), AuditEntry.ActorOf(user), clock, ct);
        if (change.Problems.Count > 0) return change.ToValidationProblem();
        var current = change.Saved ?? await db.CurrentProfileAsync(ct);
        return TypedResults.Ok(new ProfileImported(current!.Version, Changed: change.Saved is not null));
    }

    public static ValidationProblem ToValidationProblem(this ProfileChange change) => TypedResults.ValidationProblem(
        change.Problems.GroupBy(p => p.Path is "" ? "file" : p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()),
        detail: $"The profile was not changed: {change.Problems.Count} {(change.Problems.Count == 1 ? "problem" : "problems")} to fix.");
}

public sealed record ProfileImported(int Version, bool Changed);
