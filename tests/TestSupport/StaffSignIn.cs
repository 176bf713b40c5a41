using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using OtpNet;

namespace Harbour.Testing;

public static partial class StaffSignIn
{
    // Each account's authenticator key, as its owner's app would hold it: learnt when the account enrols.
    static readonly ConcurrentDictionary<string, string> Keys = new(StringComparer.OrdinalIgnoreCase);

    public static void RememberKey(string email, string key) => Keys[email] = key;

    // Each account's time steps whose code a test has used: Harbour takes a code once.
    static readonly ConcurrentDictionary<string, HashSet<long>> UsedSteps = new(StringComparer.OrdinalIgnoreCase);

    // A code the account's authenticator app shows now, or in the next minute (Harbour accepts those too), that this test
    // run has not used yet; when all three are used, the next one, after waiting for it. Marked used.
    public static string CodeFor(string email)
    {
        var totp = new Totp(Base32Encoding.ToBytes(Keys.TryGetValue(email, out var key) ? key : throw new InvalidOperationException($"{email} has not enrolled in this test run.")));
        var used = UsedSteps.GetOrAdd(email, _ => []);
        while (true)
        {
            var now = DateTime.UtcNow;
            lock (used)
                for (var ahead = 0; ahead <= 2; ahead++)
                {
                    var at = now.AddSeconds(30 * ahead);
                    if (used.Add(new DateTimeOffset(at).ToUnixTimeSeconds() / 30)) return totp.ComputeTotp(at);
                }
            Thread.Sleep(TimeSpan.FromSeconds(30 - now.Second % 30 + 0.5));
        }
    }

    public static string KeyIn(string page) => WebUtility.HtmlDecode(AuthenticatorKey().Match(page).Groups[1].Value);

    // Signs in through the staff pages as a person would, second factor included (enrolling the authenticator app at an
    // account's first sign-in); the client keeps the session cookie. Returns the last answer: a refusal of the
    // passphrase, the recovery codes page after enrolling (200), or the way in after a code (302).
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password)
    {
        var page = await client.GetStringAsync("/cases/sign-in");
        var response = await client.PostAsync("/cases/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["password"] = password,
            ["__RequestVerificationToken"] = AntiforgeryTokenIn(page),
        }));
        var next = response.Headers.Location?.ToString() ?? "";
        if (response.StatusCode != HttpStatusCode.Redirect || !next.StartsWith("/cases/sign-in/")) return response;
        var step = await client.GetStringAsync(next);
        if (next.StartsWith("/cases/sign-in/enrol")) RememberKey(email, KeyIn(step));
        return await client.PostAsync(next, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["code"] = CodeFor(email),
            ["__RequestVerificationToken"] = AntiforgeryTokenIn(step),
        }));
    }

    // Signed in: shown the recovery codes after enrolling, or sent on in after the code.
    public static bool SignedIn(this HttpResponseMessage response) =>
        (response.StatusCode == HttpStatusCode.OK && response.RequestMessage?.RequestUri?.AbsolutePath == "/cases/sign-in/enrol")
        || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.ToString().StartsWith("/cases/sign-in") == false);

    public static string AntiforgeryTokenIn(string page) => WebUtility.HtmlDecode(AntiforgeryToken().Match(page).Groups[1].Value);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("id=\"authenticator-key\">([^<]+)<")]
    private static partial Regex AuthenticatorKey();
}
