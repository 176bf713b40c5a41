using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Harbour.Cases.Audit;

// Names the screen an audit entry came from, as it is saved: the method and route pattern of the endpoint (never the path
// as typed, which can hold an invitation's token), and the page handler, e.g. "POST /cases/staff?handler=Disable".
public sealed class AuditScreen(IHttpContextAccessor http) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Name(eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Name(eventData);
        return ValueTask.FromResult(result);
    }

    void Name(DbContextEventData eventData)
    {
        if (http.HttpContext is not { } context || context.GetEndpoint() is not RouteEndpoint endpoint || eventData.Context is null) return;
        var handler = context.Request.Query["handler"].ToString();
        var screen = $"{context.Request.Method} /{endpoint.RoutePattern.RawText?.Trim('/')}"
            + (handler.Length is > 0 and <= 40 && handler.All(char.IsAsciiLetter) ? $"?handler={handler}" : "");
        foreach (var entry in eventData.Context.ChangeTracker.Entries<AuditEntry>())
            if (entry.State == EntityState.Added) entry.Entity.Screen ??= screen;
    }
}
