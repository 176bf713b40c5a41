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
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Make a report")
            .WithDescription("Answers 201 with the reference and the receipt (shown once), or 400 naming each field to correct. "
                + "A report sent again with the same submissionId answers 409 with the reference it was given and is not kept twice.");
        return api;
    }

    static async Task<Results<Created<SubmittedReport>, ValidationProblem, ProblemHttpResult>> SubmitAsync(HttpRequest http,
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

        var (submitted, alreadySent) = await db.SubmitAsync(request, sealer, clock, log, cancellationToken);
        if (alreadySent)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "This report was already received.",
                detail: $"It was kept once, as {submitted.Reference}; its receipt was given when it was first sent.",
                extensions: new Dictionary<string, object?> { ["reference"] = submitted.Reference });
        return TypedResults.Created((string?)null, submitted);
    }
}
