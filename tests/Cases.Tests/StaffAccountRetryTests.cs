using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Harbour.Cases.Audit;
using Harbour.Cases.Staff;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Cases.Tests;

// cases whose database connection times out once, at the commit of an admin's change to an account: what a dropped
// connection does in production, when the database's retry strategy runs the whole transaction again.
public sealed class CommitFailsOnceFactory : CasesFactory
{
    public readonly CommitFailsOnce Fault = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.ConfigureDbContext<CasesDbContext>(options => options.AddInterceptors(Fault)));

    public sealed class CommitFailsOnce : DbTransactionInterceptor
    {
        int armed, failed;
        public int Failed => Volatile.Read(ref failed);
        public void Arm() => Volatile.Write(ref armed, 1);

        // Only the commit of a transaction that saved an account change fails, so that background jobs cannot use it up.
        public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default)
        {
            if (eventData.Context?.ChangeTracker.Entries<AuditEntry>().Any(e => e.Entity.Action == "staff.changed") == true
                && Interlocked.Exchange(ref armed, 0) == 1)
            {
                Interlocked.Increment(ref failed);
                throw new TimeoutException("The connection to the database timed out (injected by the test).");
            }
            return ValueTask.FromResult(result);
        }
    }
}

public sealed class StaffAccountRetryTests(CommitFailsOnceFactory cases) : IClassFixture<CommitFailsOnceFactory>
{
    // The retry starts afresh: the account is read again in the new transaction, so the change is made once, with one
    // audit entry, instead of failing on the concurrency stamp the first attempt set and the rollback took back.
    [Fact]
    public async Task AChangeOfRolesWhoseCommitFailsOnceIsMadeOnceByTheRetry()
    {
        var admin = await cases.SignedInAdminAsync();
        var (ari, id) = await cases.SignedInStaffAsync("Analyst");

        cases.Fault.Arm();
        (await admin.PutAsJsonAsync($"/api/staff/{id}", new { displayName = "Ari Case Manager", roles = new[] { "CaseManager" }, teams = new[] { "Sexual violence and abuse" } }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);

        cases.Fault.Failed.ShouldBe(1, "the first commit failed");
        (await ari.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the session with the old roles ended");
        await using var scope = cases.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = (await users.FindByIdAsync(id))!;
        user.DisplayName.ShouldBe("Ari Case Manager");
        (await users.GetRolesAsync(user)).ShouldBe(["CaseManager"]);
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        (await db.AuditLog.AsNoTracking().CountAsync(e => e.Action == "staff.changed")).ShouldBe(1);
    }
}
