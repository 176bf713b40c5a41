using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Harbour.ServiceDefaults;

// What a failure stands for, in every service, pages and API alike: what cannot be read is bad input (400, 413), not a
// fault of ours (500). Bad input is answered, not logged as a fault with its stack, so a scanner's flood stays out of
// the error log.
public static class BadInput
{
    public static int StatusFor(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        // The form token is read from the form: what stopped the form (a body too large: 413) is what to answer.
        AntiforgeryValidationException { InnerException: { } inner } => StatusFor(inner) is var status && status < 500 ? status : StatusCodes.Status400BadRequest,
        // A form that cannot be read: too many fields, a value too long, broken multipart, characters a form cannot hold.
        // Only the framework's form and multipart readers count: the same exception from our own code is a fault.
        InvalidDataException { Source: "Microsoft.AspNetCore.Http" or "Microsoft.AspNetCore.WebUtilities" } or AntiforgeryValidationException
            => StatusCodes.Status400BadRequest,
        // A NUL or a broken character that reached PostgreSQL after all.
        Npgsql.PostgresException { SqlState: "22021" or "22P05" } => StatusCodes.Status400BadRequest,
        Microsoft.EntityFrameworkCore.DbUpdateException { InnerException: Npgsql.PostgresException { SqlState: "22021" or "22P05" } } => StatusCodes.Status400BadRequest,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static bool Quiet(ExceptionHandlerSuppressDiagnosticsContext context) => StatusFor(context.Exception) < 500;

    // A failure, or an answer with no body, on this branch's requests shows the page at path again (re-executed through
    // the rest of the pipeline, so it carries the same headers) with the failure's status. Before UseRouting, so that
    // the page is routed.
    public static IApplicationBuilder UseProblemPage(this IApplicationBuilder app, string path) => app
        .UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = path, StatusCodeSelector = StatusFor, SuppressDiagnosticsCallback = Quiet })
        .UseStatusCodePagesWithReExecute(path, "?status={0}");

    // The status a problem page shows: the failed request's, or the one its re-execution passed; opened directly, the
    // page is simply not a page (404).
    public static int FailedStatus(HttpContext context) => context.Response.StatusCode is >= 400 and < 600 ? context.Response.StatusCode
        : context.Features.Get<IStatusCodeReExecuteFeature>() is not null
            && int.TryParse(context.Request.Query["status"], out var status) && status is >= 400 and < 600 ? status : StatusCodes.Status404NotFound;
}
