using Harbour.Intake.Reports;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Intake.FollowUp;

public sealed record FollowUpSession(Guid ReportId, DateTimeOffset Expires);

// The follow-up page's session: a cookie sealed with the report key, for /follow-up only, HttpOnly and SameSite=Strict.
public static class FollowUpSessions
{
    public const string CookieName = "harbour_follow_up";

    // The session ends after 15 minutes without use, and at once with "Close my report" or the quick exit.
    public static void StartSession(this HttpResponse response, Report report, Sealer sealer, TimeProvider clock, bool secure) =>
        response.Cookies.Append(CookieName, sealer.Seal(new FollowUpSession(report.Id, clock.GetUtcNow().AddMinutes(15))), new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = secure, IsEssential = true, Path = "/follow-up",
        });

    public static void EndSession(this HttpResponse response) => response.Cookies.Delete(CookieName, new CookieOptions { Path = "/follow-up" });

    public static async Task<Report?> SessionReportAsync(this IntakeDbContext db, HttpRequest request, Sealer sealer, TimeProvider clock,
        CancellationToken ct)
    {
        if (request.Cookies[CookieName] is not { } cookie) return null;
        FollowUpSession session;
        try { session = sealer.Open<FollowUpSession>(cookie); }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or FormatException or System.Text.Json.JsonException) { return null; }
        return session.Expires > clock.GetUtcNow()
            ? await db.Reports.AsNoTracking().SingleOrDefaultAsync(r => r.Id == session.ReportId, ct)
            : null;
    }
}
