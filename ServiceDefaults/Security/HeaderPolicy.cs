using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.ServiceDefaults.Security;

// The browser security headers on every answer of every service, from one policy (OWASP ASVS 5.0 V3.4), set as the
// answer starts so that no page or endpoint can leave one out:
// - a CSP that allows nothing inline and nothing from another site: scripts, styles, images (and data: images, the QR
//   code), forms and fetches from the page's own origin only; no plugins, no <base>, no framing;
// - no MIME sniffing, no framing (X-Frame-Options for old browsers), no Referer, no window shared with another site, no
//   camera, microphone, place, payment or USB;
// - Cache-Control: no-store on everything but the static assets: pages, JSON and files hold reports and cases;
// - Strict-Transport-Security on answers over TLS (the library adds it to HTTPS requests only: behind the gateway, those
//   the gateway says came over TLS; the gateway also sets it on every answer when Harbour:PublicUrl is https).
// A page or endpoint that needs another rule names its policy: [SecurityHeadersPolicy(...)] or WithSecurityHeadersPolicy.
public static class HeaderPolicy
{
    // Inline styles allowed, never inline script: the email template editor (its preview frame shows the email's own HTML,
    // which styles itself inline) and a department's acknowledge page (its own small stylesheet).
    public const string InlineStyles = "inline-styles";
    // A file someone uploaded, opened as a download: if a browser shows it anyway (HTML, SVG), it runs in a sandbox with
    // nothing allowed, not as a page of ours.
    public const string Download = "download";

    public static IServiceCollection AddHeaderPolicy(this IServiceCollection services)
    {
        // The scheme the browser used, from the gateway's X-Forwarded-Proto (gateway/PublicScheme.cs), believed only from the
        // gateway's network: loopback (the default) and Harbour:GatewayNetworks (CIDR ranges, comma-separated, for a gateway on
        // another host). Over TLS the services then see https, send HSTS and mark their form-token cookies Secure.
        // An address is one proxy, a range a network; anything else stops the service at start, naming the setting.
        services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedProto;
            foreach (var entry in (configuration["Harbour:GatewayNetworks"] ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                if (System.Net.IPAddress.TryParse(entry, out var address)) options.KnownProxies.Add(address);
                else if (System.Net.IPNetwork.TryParse(entry, out var network)) options.KnownIPNetworks.Add(network);
                else throw new InvalidOperationException($"Harbour:GatewayNetworks: \"{entry}\" is neither an address nor a CIDR range such as 10.0.4.0/24.");
        }).ValidateOnStart();
        services.Configure<AntiforgeryOptions>(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        return services.AddSecurityHeaderPolicies(policies => policies
            .SetDefaultPolicy(Policy(Styles.Self, store: false))
            .AddPolicy(InlineStyles, Policy(Styles.Inline, store: false))
            .AddPolicy(Download, Policy(Styles.None, store: false))
            // Static assets (intake's /assets, the staff pages' /cases/assets) hold nothing personal: browsers may keep them.
            .SetPolicySelector(context => context.HttpContext.Request.Path is var path
                && (path.StartsWithSegments("/assets") || path.StartsWithSegments("/cases/assets"))
                ? Assets
                : context.SelectedPolicy));
    }

    public static IApplicationBuilder UseHeaderPolicy(this IApplicationBuilder app) => app.UseForwardedHeaders().UseSecurityHeaders();

    static readonly HeaderPolicyCollection Assets = Policy(Styles.Self, store: true);

    // What a policy lets style a page: its own stylesheets, inline styles too, or (a sandboxed download) nothing at all.
    enum Styles { Self, Inline, None }

    static HeaderPolicyCollection Policy(Styles styles, bool store)
    {
        var policy = new HeaderPolicyCollection()
            .AddContentTypeOptionsNoSniff()
            .AddFrameOptionsDeny()
            .AddReferrerPolicyNoReferrer()
            .AddCrossOriginOpenerPolicy(coop => coop.SameOrigin())
            .AddStrictTransportSecurityMaxAge(maxAgeInSeconds: 365 * 24 * 60 * 60)
            .RemoveServerHeader()
            .AddPermissionsPolicy(permissions =>
            {
                permissions.AddCamera().None();
                permissions.AddMicrophone().None();
                permissions.AddGeolocation().None();
                permissions.AddPayment().None();
                permissions.AddUsb().None();
            })
            .AddContentSecurityPolicy(csp =>
            {
                if (styles == Styles.None)
                {
                    csp.AddDefaultSrc().None();
                    csp.AddScriptSrc().None();
                    csp.AddSandbox();
                }
                else
                {
                    csp.AddDefaultSrc().Self();
                    csp.AddScriptSrc().Self();
                    if (styles == Styles.Inline) csp.AddStyleSrc().Self().UnsafeInline();
                    else csp.AddStyleSrc().Self();
                    csp.AddImgSrc().Self().Data();
                }
                csp.AddObjectSrc().None();
                csp.AddBaseUri().None();
                csp.AddFormAction().Self();
                csp.AddFrameAncestors().None();
            });
        return store ? policy : policy.AddCustomHeader("Cache-Control", "no-store");
    }
}
