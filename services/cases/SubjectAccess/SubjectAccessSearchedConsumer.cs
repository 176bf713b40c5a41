using Harbour.Cases.Audit;
using Harbour.Contracts;
using Harbour.Profile;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.SubjectAccess;

// An Admin's search of what notifications holds about a person, onto the one audit trail (notifications keeps none), once
// per search however often it is delivered: who, when, by what and how much was found, as the case search is audited.
public sealed class SubjectAccessSearchedConsumer(CasesDbContext db, TimeProvider clock) : IConsumer<SubjectAccessSearched>
{
    public const string Action = "subject-access.notifications-searched";

    public Task Consume(ConsumeContext<SubjectAccessSearched> context) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            var search = context.Message;
            var key = $"search {search.SearchId}:";
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Two copies delivered at once wait for each other here, so the second finds the first's entry.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({key}))", ct);
            // An entry is made after its search (an hour allowed for clocks that differ), which keeps the look to the index on time.
            var since = search.At.AddHours(-1);
            if (await db.AuditLog.AnyAsync(a => a.At >= since && a.Action == Action && a.Detail != null && a.Detail.StartsWith(key), ct)) return;
            var by = string.Join(" and ", new[] { search.ByEmail ? "email address" : null,
                search.References > 0 ? $"{search.References} case {(search.References == 1 ? "reference" : "references")}" : null }.OfType<string>());
            db.AuditLog.Add(AuditEntry.By($"{search.StaffName} ({search.StaffId})", Action, clock,
                detail: $"{key} made {search.At.InUk():d MMMM yyyy HH:mm:ss} UK time, by {by}: {search.Emails} {(search.Emails == 1 ? "email" : "emails")}, {search.Alerts} department {(search.Alerts == 1 ? "alert" : "alerts")}"));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }, context.CancellationToken);
}
