using System.Threading.RateLimiting;
using Harbour.ServiceDefaults.Security;

namespace Harbour.Intake.Safety;

// Reports and form steps share one budget per minute (Reports:SubmissionsPerMinute, default 300), the last line against a
// flood. Each sender's own share is counted by the gateway, which alone sees their address and never passes it on: a
// submission past it arrives marked (ClientLimit.OverLimitHeader) and is refused without spending the shared budget.
// Reading pages is never limited. The form and the API each answer a refusal in their own way (the form keeps what was
// typed; the API says 429).
public sealed class SubmissionBudget(IConfiguration configuration) : IDisposable
{
    readonly TokenBucketRateLimiter limiter = new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = configuration.GetValue("Reports:SubmissionsPerMinute", 300),
        TokensPerPeriod = configuration.GetValue("Reports:SubmissionsPerMinute", 300),
        ReplenishmentPeriod = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
    });

    // Seconds a refused sender is asked to wait (Retry-After).
    public const int RetryAfterSeconds = 60;

    public bool TryTake(HttpRequest request) =>
        !request.Headers.ContainsKey(ClientLimit.OverLimitHeader) && limiter.AttemptAcquire().IsAcquired;

    public void Dispose() => limiter.Dispose();

    // Marks a report form post that came past the budget, for the page to answer "try again in a minute".
    public sealed class Spent;
}

public static class SubmissionBudgetOnTheForm
{
    // The report form's posts take from the budget before anything reads them. Past it, a body small enough to be only
    // text is kept for the page to carry back to the form; a larger one (files) is not read while the site is overloaded.
    public static IApplicationBuilder UseSubmissionBudgetOnTheForm(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var request = context.Request;
        if (HttpMethods.IsPost(request.Method)
            // "/report/" reaches the same page: the budget must not be missed by a trailing slash.
            && string.Equals(request.Path.Value?.TrimEnd('/'), "/report", StringComparison.OrdinalIgnoreCase)
            && !context.RequestServices.GetRequiredService<SubmissionBudget>().TryTake(request))
        {
            context.Features.Set(new SubmissionBudget.Spent());
            if (request.ContentLength is not (> 0 and <= 256 * 1024))
                (request.ContentType, request.ContentLength, request.Body) = (null, 0, Stream.Null);
        }
        return next(context);
    });
}
