using Harbour.Intake.Reports;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Harbour.Intake.FollowUp;

// The follow-up page as an API, for an app or a chatbot: the receipt travels in the Receipt header, never in a URL.
internal static class FollowUpApi
{
    public const string ReceiptHeader = "Receipt";

    public static RouteGroupBuilder MapFollowUpApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/reports/{reference}");
        api.MapGet("/", GetAsync).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Where a report stands, and its conversation")
            .WithDescription("The receipt goes in the Receipt header. A wrong receipt and an unknown reference get the same 404; "
                + "past FollowUp:AttemptsPerReference wrong receipts for one reference, wrong ones get 429 while the right one still opens it.");
        api.MapGet("/messages", GetMessagesAsync).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("The conversation with the case manager, oldest first");
        api.MapPost("/messages", PostAsync).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Write to the case manager")
            .WithDescription("Body: { body, id? }. The body is 1 to 5,000 characters (400 otherwise). Give an id (a UUID) to retry safely: "
                + "a message is kept once per id. Answers 201 with the message as kept.");
        return api;
    }

    internal sealed record Opening(string Reference, [FromHeader(Name = ReceiptHeader)] string? Receipt, IntakeDbContext Db, Sealer Sealer,
        FollowUpThrottle Throttle, ILogger<MessageRequest> Log);

    static async Task<Results<Ok<FollowUpView>, ProblemHttpResult>> GetAsync([AsParameters] Opening opening, CancellationToken ct)
    {
        var (report, refusal) = await OpenAsync(opening, ct);
        return refusal is null ? TypedResults.Ok(await opening.Db.ViewAsync(report!, opening.Sealer, ct)) : refusal;
    }

    static async Task<Results<Ok<IReadOnlyList<ConversationLine>>, ProblemHttpResult>> GetMessagesAsync([AsParameters] Opening opening,
        CancellationToken ct)
    {
        var (report, refusal) = await OpenAsync(opening, ct);
        return refusal is null ? TypedResults.Ok((await opening.Db.ViewAsync(report!, opening.Sealer, ct)).Messages) : refusal;
    }

    static async Task<Results<Created<ConversationLine>, ValidationProblem, ProblemHttpResult>> PostAsync([AsParameters] Opening opening,
        MessageRequest? message, TimeProvider clock, CancellationToken ct)
    {
        var (report, refusal) = await OpenAsync(opening, ct);
        if (refusal is not null) return refusal;
        if (FollowUpAccess.CheckMessage(message?.Body) is { } problem)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [problem] });
        if (message!.Id == Guid.Empty)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["Give the message a UUID of its own, not the nil UUID, or none."] });
        return await opening.Db.PostAsync(report!, message.Body!, opening.Sealer, clock, ct, message.Id) is { } line
            ? TypedResults.Created((string?)null, line)
            : TypedResults.Problem("That id is another message's: this message was NOT sent. Send it again with a new id.", statusCode: StatusCodes.Status409Conflict);
    }

    static async Task<(Report? Report, ProblemHttpResult? Refusal)> OpenAsync(Opening opening, CancellationToken ct)
    {
        if (await opening.Db.FindAsync(opening.Reference, opening.Receipt, ct) is { } report) return (report, null);
        if (opening.Throttle.CountFailure(opening.Reference))
            return (null, TypedResults.Problem(FollowUpPageModel.Refused, statusCode: StatusCodes.Status404NotFound));
        opening.Log.LogWarning("Follow-up attempts refused for a while: too many");
        return (null, TypedResults.Problem(FollowUpPageModel.TooMany, statusCode: StatusCodes.Status429TooManyRequests));
    }
}

/// <summary>A message from the reporter to their case manager.</summary>
/// <param name="Body">The text, 1 to 5,000 characters.</param>
/// <param name="Id">Optional: a UUID of the app's choosing (not the nil UUID: 400), so that a retried post is kept once; an id
/// already used for another message answers 409 and keeps nothing.</param>
public sealed record MessageRequest(string? Body, Guid? Id = null);
