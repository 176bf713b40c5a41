using Harbour.Contracts;
using MassTransit;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Analytics.Staff;

// A staff session cases has ended (signed out, account disabled, roles changed): its token is refused here too. Kept for
// nine hours, longer than any token lives.
public sealed class EndedSession
{
    public Guid SessionId { get; init; }
    public DateTimeOffset EndedAt { get; init; }
}

public sealed class StaffSessionEndedConsumer(AnalyticsDbContext db) : IConsumer<StaffSessionEnded>
{
    public async Task Consume(ConsumeContext<StaffSessionEnded> context)
    {
        var ended = context.Message;
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO ended_sessions (session_id, ended_at) VALUES ({ended.SessionId}, {ended.EndedAt}) ON CONFLICT DO NOTHING",
            context.CancellationToken);
        await db.Database.ExecuteSqlAsync($"DELETE FROM ended_sessions WHERE ended_at < {ended.EndedAt.AddHours(-9)}", context.CancellationToken);
    }
}

public static class EndedSessions
{
    public static async Task CheckAsync(TokenValidatedContext context)
    {
        var db = context.HttpContext.RequestServices.GetRequiredService<AnalyticsDbContext>();
        if (!Guid.TryParse(context.Principal?.FindFirst("sid")?.Value, out var id)
            || await db.EndedSessions.AnyAsync(s => s.SessionId == id, context.HttpContext.RequestAborted))
            context.Fail("The staff session has ended.");
    }
}
