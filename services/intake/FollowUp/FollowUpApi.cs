using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Harbour.Intake.FollowUp;

// The follow-up page as an API, for an app or a chatbot: the receipt travels in the Receipt header, never in a URL.
internal static class FollowUpApi
{
    public const string ReceiptHeader = "Receipt";

    // The quick exit passes here: a follow-up session open on this device ends, and the forms shown before stop
    // working, before the neutral page shows.
    public static IEndpointRouteBuilder MapQuickExit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/follow-up/exit", (HttpRequest request, HttpResponse response, IConfiguration configuration) =>
        {
            // Another site sending a reporter here must not end their session or spoil a report open in another tab.
            if (request.IsFromThisSite()) response.LeaveQuickly();
            return TypedResults.Redirect(QuickExitUrl(configuration));
        }).ExcludeFromDescription();
        return app;
    }

    public static string QuickExitUrl(IConfiguration configuration) => configuration["Harbour:QuickExitUrl"] ?? "https://www.bbc.co.uk/weather";

    public static RouteGroupBuilder MapFollowUpApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/reports/{reference}");
        api.MapGet("/", GetAsync)
            .Produces<FollowUpView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Where a report stands, and its conversation")
            .WithDescription("The receipt goes in the Receipt header. A wrong receipt and an unknown reference get the same 404.");
        api.MapGet("/messages", async (string reference, [FromHeader(Name = ReceiptHeader)] string? receipt, IntakeDbContext db,
            Sealer sealer, FollowUpThrottle throttle, ILogger<MessageRequest> log, CancellationToken ct) =>
        {
            var (report, refusal) = await OpenAsync(reference, receipt, db, throttle, log, ct);
            return refusal ?? TypedResults.Ok((await db.ViewAsync(report!, sealer, ct)).Messages);
        })
            .Produces<IReadOnlyList<ConversationLine>>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("The conversation with the case manager");
        api.MapPost("/messages", PostAsync)
            .Produces<ConversationLine>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Write to the case manager");
        return api;
    }

    static async Task<IResult> GetAsync(string reference, [FromHeader(Name = ReceiptHeader)] string? receipt, IntakeDbContext db,
        Sealer sealer, FollowUpThrottle throttle, ILogger<MessageRequest> log, CancellationToken ct)
    {
        var (report, refusal) = await OpenAsync(reference, receipt, db, throttle, log, ct);
        return refusal ?? TypedResults.Ok(await db.ViewAsync(report!, sealer, ct));
    }

    static async Task<IResult> PostAsync(string reference, [FromHeader(Name = ReceiptHeader)] string? receipt, MessageRequest? message,
        IntakeDbContext db, Sealer sealer, FollowUpThrottle throttle, TimeProvider clock, ILogger<MessageRequest> log, CancellationToken ct)
    {
        var (report, refusal) = await OpenAsync(reference, receipt, db, throttle, log, ct);
        if (refusal is not null) return refusal;
        if (FollowUpAccess.CheckMessage(message?.Body) is { } problem)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [problem] });
        var line = await db.PostAsync(report!, message!.Body!, sealer, clock, ct, message.Id);
        return TypedResults.Created((string?)null, line);
    }

    static async Task<(Reports.Report? Report, IResult? Refusal)> OpenAsync(string reference, string? receipt, IntakeDbContext db,
        FollowUpThrottle throttle, ILogger log, CancellationToken ct)
    {
        if (await db.FindAsync(reference, receipt, ct) is { } report) return (report, null);
        if (throttle.CountFailure(reference)) return (null, TypedResults.Problem(FollowUpPageModel.Refused, statusCode: StatusCodes.Status404NotFound));
        log.LogWarning("Follow-up attempts refused for a while: too many");
        return (null, TypedResults.Problem(FollowUpPageModel.TooMany, statusCode: StatusCodes.Status429TooManyRequests));
    }
}

// Id is optional: an app that sends one can retry safely, the message is kept once.
public sealed record MessageRequest(string? Body, Guid? Id = null);
