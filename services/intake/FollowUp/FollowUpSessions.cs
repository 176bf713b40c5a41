using Harbour.Intake.Reports;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Intake.FollowUp;

// An open follow-up session, one row while it lasts (table follow_up_sessions). Ending it deletes the row, so a copy
// of the cookie opens nothing afterwards. ExpiresAt is UTC and moves 15 minutes on with every use.
public sealed class FollowUpSession
{
    public Guid Id { get; init; }
    public Guid ReportId { get; init; }
    public DateTimeOffset ExpiresAt { get; set; }
}

// The follow-up page's session: the cookie names a session row, protected with ASP.NET Core Data Protection (so it
// cannot be forged or read), for /follow-up only, HttpOnly and SameSite=Strict. Whether it is still open is decided
// here on the server, never by the cookie.
public static class FollowUpSessions
{
    public const string CookieName = "harbour_follow_up";
    public static readonly TimeSpan Idle = TimeSpan.FromMinutes(15);
    const string Purpose = "Harbour.Intake.FollowUp.Session";

    // Opening a report starts a new session (and clears sessions that have run out, anyone's).
    public static async Task StartSessionAsync(this IntakeDbContext db, HttpContext http, Report report, TimeProvider clock, bool secure,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await db.FollowUpSessions.Where(s => s.ExpiresAt <= now).ExecuteDeleteAsync(ct);
        if (SessionId(http) is { } earlier) await db.FollowUpSessions.Where(s => s.Id == earlier).ExecuteDeleteAsync(ct);
        var session = new FollowUpSession { Id = Guid.NewGuid(), ReportId = report.Id, ExpiresAt = now + Idle };
        db.FollowUpSessions.Add(session);
        await db.SaveChangesAsync(ct);
        http.Response.Cookies.Append(CookieName, Protector(http).Protect(session.Id.ToString("N")), new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = secure, IsEssential = true, Path = "/follow-up",
        });
    }

    // The report of the session this request carries, if it is still open; each use keeps it open 15 minutes more.
    public static async Task<Report?> SessionReportAsync(this IntakeDbContext db, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        if (SessionId(http) is not { } id) return null;
        var now = clock.GetUtcNow();
        var kept = await db.FollowUpSessions.Where(s => s.Id == id && s.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiresAt, now + Idle), ct);
        if (kept == 0) return null;
        return await db.Reports.AsNoTracking().SingleOrDefaultAsync(r => db.FollowUpSessions.Any(s => s.Id == id && s.ReportId == r.Id), ct);
    }

    // "Close my report" and the quick exit: the cookie goes, and the session ends on the server. Leaving never waits long
    // on, or fails with, the database: if it cannot be reached, the session runs out by itself within 15 minutes.
    public static async Task EndSessionAsync(this IntakeDbContext db, HttpContext http, CancellationToken ct)
    {
        http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/follow-up" });
        if (SessionId(http) is not { } id) return;
        try
        {
            using var soon = CancellationTokenSource.CreateLinkedTokenSource(ct);
            soon.CancelAfter(TimeSpan.FromSeconds(2));
            await db.FollowUpSessions.Where(s => s.Id == id).ExecuteDeleteAsync(soon.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FollowUpSessions))
                .LogWarning("A follow-up session could not be ended on the server; it runs out by itself ({Error})", e.GetType().Name);
        }
    }

    static Guid? SessionId(HttpContext http)
    {
        if (http.Request.Cookies[CookieName] is not { Length: > 0 and < 1024 } cookie) return null;
        try
        {
            return Guid.TryParseExact(Protector(http).Unprotect(cookie), "N", out var id) ? id : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    static IDataProtector Protector(HttpContext http) =>
        http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);
}
