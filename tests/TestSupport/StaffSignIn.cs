using System.Net;
using System.Text.RegularExpressions;

namespace Harbour.Testing;

public static partial class StaffSignIn
{
    // Signs in through the staff sign-in page as a person would; the client keeps the session cookie.
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password)
    {
        var page = await client.GetStringAsync("/cases/sign-in");
        var token = AntiforgeryToken().Match(page).Groups[1].Value;
        return await client.PostAsync("/cases/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["password"] = password,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        }));
    }

    public static string AntiforgeryTokenIn(string page) => WebUtility.HtmlDecode(AntiforgeryToken().Match(page).Groups[1].Value);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
