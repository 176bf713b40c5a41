using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.ServiceDefaults;

// Razor Pages as every service serves them: each page in the folder of what it is about (root "/"), and a request that
// names no handler the page has (a post to a page without one, or ?handler= with an unknown name) answered 404 rather than
// the page drawn without its handler ever running: that half-drawn page could fail (500) or differ from one case to
// another (OWASP ASVS 5.0 V8.2.2: a case the caller may not see answers like one that does not exist).
public static class Pages
{
    public static IMvcBuilder AddHarbourPages(this IServiceCollection services) =>
        services.AddRazorPages(options =>
        {
            options.RootDirectory = "/";
            options.Conventions.ConfigureFilter(new HandlerRequired());
        });

    sealed class HandlerRequired : IPageFilter
    {
        public void OnPageHandlerSelected(PageHandlerSelectedContext context) { }

        public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
        {
            var request = context.HttpContext.Request;
            // A problem page shown again for a failed request keeps that request's method: it has no handler by design.
            var shownForAFailure = context.HttpContext.Features.Get<IExceptionHandlerFeature>() is not null
                || context.HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null;
            if (context.HandlerMethod is null && !shownForAFailure
                && (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) || context.RouteData.Values.ContainsKey("handler") || request.Query.ContainsKey("handler")))
                context.Result = new NotFoundResult();
        }

        public void OnPageHandlerExecuted(PageHandlerExecutedContext context) { }
    }
}
