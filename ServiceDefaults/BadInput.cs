using Microsoft.AspNetCore.Antiforgery;
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
}
