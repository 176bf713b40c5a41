using Harbour.Contracts;
using System.Text.Json;
using Harbour.Intake.Safety;
using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbour.Intake.Reports;

internal static class ReportsApi
{
    public static RouteGroupBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/reports");
        api.MapPost("/", SubmitAsync)
            .Accepts<ReportRequest>("application/json")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Make a report")
            .WithDescription("Answers 201 with the reference and the receipt (shown once), or 400 (a ValidationProblem) naming each "
                + "field to correct by its JSON name. A report sent again with the same submissionId answers 409 with the reference "
                + "it was given (extension member reference) and is not kept twice; a submissionId already used for a report with other "
                + "content answers 409 \"This report was not sent.\" and keeps nothing. Past the submission budget "
                + "(Reports:SubmissionsPerMinute, shared by every sender) or past one sender's share at the gateway it answers 429 "
                + "with Retry-After: 60.");
        return api;
    }

    internal sealed record Submission(HttpRequest Http, IntakeDbContext Db, InstitutionProfiles Profiles, Sealer Sealer,
        SubmissionBudget Budget, TimeProvider Clock, ILogger<Report> Log);

    static async Task<Results<Created<SubmittedReport>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        [AsParameters] Submission submission, CancellationToken cancellationToken)
    {
        var (http, db, profiles, sealer, budget, clock, log) = submission;
        if (!budget.TryTake(http))
        {
            http.HttpContext.Response.Headers.RetryAfter = SubmissionBudget.RetryAfterSeconds.ToString();
            return TypedResults.Problem("Too many reports are arriving at once. Please try again in a minute.",
                statusCode: StatusCodes.Status429TooManyRequests);
        }
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
        var errors = request.Validate(UkTime.Today(clock), profile.Profile);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The report has mistakes to correct.");

        var (submitted, outcome) = await db.SubmitAsync(request, profile.Version, ReportChannels.App, sealer, clock, log, cancellationToken);
        return outcome switch
        {
            SubmissionOutcome.AlreadySent => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "This report was already received.",
                detail: $"It was kept once, as {submitted.Reference}; its receipt was given when it was first sent.",
                extensions: new Dictionary<string, object?> { ["reference"] = submitted.Reference }),
            SubmissionOutcome.IdTaken => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "This report was not sent.",
                detail: "Its submissionId was already used for a report with other content. Send it again with a new submissionId of its own."),
            _ => TypedResults.Created((string?)null, submitted),
        };
    }
}
