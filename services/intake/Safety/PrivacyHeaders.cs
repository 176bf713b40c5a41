namespace Harbour.Intake.Safety;

// Nothing a reporter sees or typed is kept by the browser or a proxy, or shown to another site.
public static class PrivacyHeaders
{
    public static IApplicationBuilder UsePrivacyHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        // Written as antiforgery writes it on form pages, so that it has nothing to override (and warn about).
        if (!context.Request.Path.StartsWithSegments("/assets"))
        {
            headers.CacheControl = "no-cache, no-store";
            headers.Pragma = "no-cache";
        }
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'";
        return next(context);
    });
}
