using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;

namespace Harbour.Intake.Safety;

// A reporter's browser never meets a server error page, raw JSON or a page without the quick exit: whatever the method,
// size, encoding or shape of what was sent, the answer is a page of this site (Safety/ProblemPage) with the right status and
// the privacy headers, and the API answers ProblemDetails. What cannot be read is bad input (400, 413), not a fault of ours.
public static class ErrorPages
{
    public const string Path = "/problem";

    // The status a failure stands for, on the pages and the API alike.
    public static int StatusFor(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        // The form token is read from the form: what stopped the form (a body too large: 413) is what to answer.
        AntiforgeryValidationException { InnerException: { } inner } => StatusFor(inner) is var status && status < 500 ? status : StatusCodes.Status400BadRequest,
        // A form that cannot be read: too many fields, a value too long, broken multipart, characters a form cannot hold.
        InvalidDataException or AntiforgeryValidationException => StatusCodes.Status400BadRequest,
        // A NUL or a broken character that reached PostgreSQL after all.
        Npgsql.PostgresException { SqlState: "22021" or "22P05" } => StatusCodes.Status400BadRequest,
        Microsoft.EntityFrameworkCore.DbUpdateException { InnerException: Npgsql.PostgresException { SqlState: "22021" or "22P05" } } => StatusCodes.Status400BadRequest,
        _ => StatusCodes.Status500InternalServerError,
    };

    // Bad input is answered, not logged as a fault with its stack: a scanner's flood stays out of the error log.
    static bool Quiet(ExceptionHandlerSuppressDiagnosticsContext context) => StatusFor(context.Exception) < 500;

    public static IServiceCollection AddErrorPages(this IServiceCollection services) =>
        services.Configure<ExceptionHandlerOptions>(options => (options.StatusCodeSelector, options.SuppressDiagnosticsCallback) = (StatusFor, Quiet));

    // Pages only (the API keeps ProblemDetails): a failure, or an answer with no body (404, 405, 413...), shows the problem
    // page, rendered again through the rest of the pipeline so that it carries the privacy headers. Pages take GET and POST.
    public static IApplicationBuilder UseErrorPages(this IApplicationBuilder app) =>
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api"), pages => pages
            .UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = Path, StatusCodeSelector = StatusFor, SuppressDiagnosticsCallback = Quiet })
            .UseStatusCodePagesWithReExecute(Path, "?status={0}")
            .Use((context, next) =>
            {
                if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsPost(context.Request.Method))
                    return next(context);
                // Any other method gets the problem page itself, as a GET (a page answers only GET and POST).
                context.Response.Headers.Allow = "GET, HEAD, POST";
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                (context.Request.Method, context.Request.Path, context.Request.QueryString) = (HttpMethods.Get, Path, QueryString.Empty);
                return next(context);
            }));
}
