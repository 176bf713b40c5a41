using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Harbour.Cases.Staff;

// The most sensitive work (a case's legal compartment, redacting a case, the audit log) asks for the second factor again
// when the session's last one is older than Staff:StepUpWindow (15 minutes), however recently the person signed in
// otherwise (OWASP ASVS 5.0 V7.5.3). The session keeps when its second factor was last checked (StaffSession.SecondFactorAt,
// brought into the request as the claim "second_factor_at" by StaffSessions.CheckAsync); a page past the window sends the
// person to /cases/confirm and back, an API answers 403 with a problem naming that page.
public static class StepUp
{
    /// <summary>The policy a page or endpoint names, beside its role policy, to ask for a recent second factor.</summary>
    public const string Policy = "recent-second-factor";
    public const string Claim = "second_factor_at";
    public const string ConfirmPath = "/cases/confirm";

    public static TimeSpan Window(IConfiguration configuration) => configuration.GetValue("Staff:StepUpWindow", TimeSpan.FromMinutes(15));

    public static IServiceCollection AddStepUp(this IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationHandler, RecentSecondFactorHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, StepUpResultHandler>();
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.RequireAuthenticatedUser().AddRequirements(new RecentSecondFactor()));
        return services;
    }

    // When the session's second factor was last checked; null for a principal without one (no session checked).
    public static DateTimeOffset? SecondFactorAt(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(Claim), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    public static string ConfirmUrl(string returnUrl) => $"{ConfirmPath}?returnUrl={Uri.EscapeDataString(returnUrl)}";

    sealed class RecentSecondFactor : IAuthorizationRequirement;

    sealed class RecentSecondFactorHandler(TimeProvider clock, IConfiguration configuration) : AuthorizationHandler<RecentSecondFactor>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RecentSecondFactor requirement)
        {
            if (SecondFactorAt(context.User) is { } at && clock.GetUtcNow() - at <= Window(configuration)) context.Succeed(requirement);
            return Task.CompletedTask;
        }
    }

    // Refused for want of a recent second factor (and nothing else): a page goes to confirm it and comes back; an API says so.
    sealed class StepUpResultHandler : IAuthorizationMiddlewareResultHandler
    {
        readonly AuthorizationMiddlewareResultHandler standard = new();

        public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
        {
            if (!result.Forbidden || result.AuthorizationFailure is not { } failure
                || !failure.FailedRequirements.Any() || !failure.FailedRequirements.All(r => r is RecentSecondFactor))
            {
                await standard.HandleAsync(next, context, policy, result);
                return;
            }
            var back = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
            if (!context.Request.Path.StartsWithSegments("/api"))
            {
                context.Response.Redirect(ConfirmUrl(back));
                return;
            }
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Confirm your second factor first",
                detail: $"This needs a second factor checked within the last {Window(context.RequestServices.GetRequiredService<IConfiguration>()).TotalMinutes:0} minutes: enter a code at {ConfirmPath}, then try again.").ExecuteAsync(context);
        }
    }
}
