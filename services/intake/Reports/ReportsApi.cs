using System.Text.Json;
using Harbour.ServiceDefaults.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbour.Intake.Reports;

internal static class ReportsApi
{
    public static RouteGroupBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/reports");
        api.MapPost("/", SubmitAsync).RequireRateLimiting(PublicSite.Submissions)
            .Accepts<ReportRequest>("application/json")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Make a report")
            .WithDescription("Answers 201 with the reference and the receipt (shown once), or 400 naming each field to correct.");
        return api;
    }

    static async Task<Results<Created<SubmittedReport>, ValidationProblem>> SubmitAsync(HttpRequest http,
        IntakeDbContext db, InstitutionProfiles profiles, Sealer sealer, TimeProvider clock, ILogger<Report> log, CancellationToken cancellationToken)
    {
        ReportRequest? request;
        try
        {
            request = await http.ReadFromJsonAsync<ReportRequest>(cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            var field = ex is JsonException { Path: { Length: > 2 } path } ? path.TrimStart('$', '.') : "body";
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [field] = ["The request body must be a JSON report object with fields of the right type."],
            });
        }
        if (request is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["Send a report."] });

        var profile = await profiles.CurrentAsync(cancellationToken);
        var errors = request.Validate(DateOnly.FromDateTime(clock.GetLocalNow().DateTime), profile.Profile);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The report has mistakes to correct.");

        var submitted = await db.SubmitAsync(request, sealer, clock, log, cancellationToken);
        return TypedResults.Created((string?)null, submitted);
    }
}
