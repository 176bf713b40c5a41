using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;
using MassTransit;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Harbour.Staff;

// A staff session cases has ended (signed out, account disabled, roles changed): its token is refused here too. Kept for
// nine hours, longer than any token lives.
public sealed class EndedSession
{
    public Guid SessionId { get; init; }
    public DateTimeOffset EndedAt { get; init; }
}

public sealed class StaffSessionEndedConsumer<TContext>(TContext db) : IConsumer<StaffSessionEnded> where TContext : DbContext
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

// Staff sign-in for a service other than cases: the token checked with cases' public key, and refused once its session ended.
public static class EndedSessions
{
    public static ModelBuilder AddEndedSessions(this ModelBuilder model)
    {
        model.Entity<EndedSession>(ended =>
        {
            ended.ToTable("ended_sessions");
            ended.HasKey(s => s.SessionId);
            ended.HasIndex(s => s.EndedAt);
        });
        return model;
    }

    public static IBusRegistrationConfigurator AddEndedSessions<TContext>(this IBusRegistrationConfigurator bus) where TContext : DbContext
    {
        bus.AddConsumer<StaffSessionEndedConsumer<TContext>>()
            .Endpoint(endpoint => endpoint.Name = $"{typeof(TContext).Assembly.GetName().Name!.ToLowerInvariant()}-staff-session-ended");
        return bus;
    }

    public static IHostApplicationBuilder AddStaffSignIn<TContext>(this IHostApplicationBuilder builder) where TContext : DbContext =>
        builder.AddStaffAuthentication(async context =>
        {
            var db = context.HttpContext.RequestServices.GetRequiredService<TContext>();
            if (!Guid.TryParse(context.Principal?.FindFirst("sid")?.Value, out var id)
                || await db.Set<EndedSession>().AnyAsync(s => s.SessionId == id, context.HttpContext.RequestAborted))
                context.Fail("The staff session has ended.");
        });
}
