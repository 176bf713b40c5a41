using Harbour.ServiceDefaults;

namespace Harbour.Intake.Safety;

// A reporter's browser never meets a server error page, raw JSON or a page without the quick exit: whatever the method,
// size, encoding or shape of what was sent, the answer is a page of this site (Safety/ProblemPage) with the right status and
// the privacy headers, and the API answers ProblemDetails. What cannot be read is bad input (BadInput: 400, 413), not a fault of ours.
public static class ErrorPages
{
    public const string Path = "/problem";

    // Pages only (the API keeps ProblemDetails): a failure, or an answer with no body (404, 405, 413...), shows the problem
    // page, rendered again through the rest of the pipeline so that it carries the privacy headers. Pages take GET and POST.
    public static IApplicationBuilder UseErrorPages(this IApplicationBuilder app) =>
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api"), pages => pages
            .UseProblemPage(Path)
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
