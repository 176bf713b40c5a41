using System.Net;
using System.Security.Claims;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Testing;

// Who may reach an endpoint: everyone (Public), staff with one of the roles (anyone else signed in is refused), or a step of
// signing in that only a browser half way through it reaches (everyone else is sent back to the start).
public sealed record Access(params string[] Roles)
{
    public static readonly Access Public = new();
    public static readonly Access SignInStep = new("(half signed in)");
    public bool IsPublic => Roles.Length == 0;
}

public enum Answer { Allowed, SentToSignIn, Refused }

// The need-to-know test: every endpoint a service maps, read from its endpoint data source (so a new endpoint cannot be
// forgotten), called as an anonymous visitor and as each staff role, against a table of who may reach it.
public static class AuthorisationMatrix
{
    public static readonly string[] Callers = ["anonymous", .. StaffRoles.All];

    // "GET /api/cases/{reference}"; a Razor page as "GET" and "POST" of its route (its handlers run after authorisation).
    public static List<string> EndpointsOf(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(endpoint =>
            {
                var route = "/" + endpoint.RoutePattern.RawText!.Trim('/');
                var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods
                    ?? (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is not null ? ["GET", "POST"] : ["GET"]);
                return methods.Select(method => $"{method} {route}");
            })
            .Distinct().Order().ToList();

    // What each caller gets from each endpoint, with route values filled in from values ({reference} -> a real case).
    public static async Task<List<string>> DisagreementsAsync(HttpClient anonymous, Func<string, HttpClient> asRole,
        IReadOnlyDictionary<string, Access> expected, IReadOnlyDictionary<string, string> values)
    {
        var problems = new List<string>();
        foreach (var (endpoint, access) in expected)
        {
            var method = endpoint[..endpoint.IndexOf(' ')];
            var path = values.Aggregate(endpoint[(method.Length + 1)..], (p, v) => p.Replace(v.Key, v.Value));
            foreach (var caller in Callers)
            {
                var client = caller == "anonymous" ? anonymous : asRole(caller);
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                using var response = await client.SendAsync(request);
                var answer = Classify(response);
                var wanted = access.IsPublic ? Answer.Allowed
                    : access == Access.SignInStep ? Answer.SentToSignIn
                    : caller == "anonymous" ? Answer.SentToSignIn
                    : access.Roles.Contains(caller) ? Answer.Allowed : Answer.Refused;
                if (answer != wanted || (int)response.StatusCode >= 500)
                    problems.Add($"{endpoint} as {caller}: {(int)response.StatusCode} ({answer}), expected {wanted}");
                if (MissingHeaders(response) is { } missing) problems.Add($"{endpoint} as {caller}: {missing}");
            }
        }
        return problems;
    }

    // A signed-in staff member of one role, with a token as cases issues them (in cases, for a session it holds).
    public static HttpClient AsRole(this IServiceProvider services, HttpClient client, string role, Guid? session = null)
    {
        var issuer = services.GetService<StaffTokenIssuer>() ?? TestStaffTokens.Issuer;
        var token = issuer.Create($"test-{role}", $"Test {role}", [role], session ?? Guid.NewGuid(), TimeProvider.System);
        client.DefaultRequestHeaders.Add("Cookie", $"{StaffAuthentication.CookieName}={token}");
        return client;
    }

    // The browser security headers every answer carries, whoever asks and whatever the answer (HeaderPolicy; OWASP ASVS 5.0
    // V3.4): a CSP that allows no inline or foreign script, no plugin, no <base> and no framing; no MIME sniffing; no Referer;
    // camera, microphone and place off; nothing kept by a browser or proxy. Null when all are there.
    public static string? MissingHeaders(HttpResponseMessage response)
    {
        string Header(string name) => response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : "";
        var csp = Header("Content-Security-Policy").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var missing = new[] { "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'" }
            .Where(directive => !csp.Contains(directive)).Select(directive => $"CSP {directive}").ToList();
        // Scripts from the page's own origin, or none at all (a file opened as a download, in a sandbox).
        if (!csp.Contains("script-src 'self'") && !(csp.Contains("script-src 'none'") && csp.Contains("sandbox"))) missing.Add("CSP script-src 'self'");
        if (Header("X-Content-Type-Options") != "nosniff") missing.Add("X-Content-Type-Options: nosniff");
        if (Header("Referrer-Policy") != "no-referrer") missing.Add("Referrer-Policy: no-referrer");
        var permissions = Header("Permissions-Policy");
        if (!new[] { "camera=()", "microphone=()", "geolocation=()" }.All(permissions.Contains)) missing.Add("Permissions-Policy: camera, microphone and geolocation off");
        if (response.Headers.CacheControl?.NoStore != true) missing.Add("Cache-Control: no-store");
        return missing.Count == 0 ? null : "missing " + string.Join("; ", missing);
    }

    static Answer Classify(HttpResponseMessage response) => response.StatusCode switch
    {
        HttpStatusCode.Unauthorized => Answer.SentToSignIn,
        HttpStatusCode.Redirect when response.Headers.Location?.ToString().StartsWith(StaffAuthentication.SignInPath) == true => Answer.SentToSignIn,
        HttpStatusCode.Forbidden => Answer.Refused,
        _ => Answer.Allowed,
    };
}
