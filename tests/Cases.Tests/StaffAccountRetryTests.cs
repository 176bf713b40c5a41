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

// cases whose database connection times out once, at the commit of a change to an account: what a dropped connection does
// in production, when the database's retry strategy takes over. Before the COMMIT reaches the server (nothing was kept) or
// after the server made it (all was kept, and Harbour was not told).
public sealed class CommitFailsOnceFactory : CasesFactory
{
    public readonly CommitFailsOnce Fault = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.ConfigureDbContext<CasesDbContext>(options => options.AddInterceptors(Fault)));

    public sealed class CommitFailsOnce : DbTransactionInterceptor
    {
        int failed;
        Armed? armed;
        sealed record Armed(string Action, bool AfterCommit);
        public int Failed => Volatile.Read(ref failed);

        // Only the commit of a transaction that saved this audit entry fails, so that background jobs cannot use it up.
        public void Arm(string action, bool afterCommit)
        {
            Volatile.Write(ref failed, 0);
            Volatile.Write(ref armed, new Armed(action, afterCommit));
        }

        public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default)
        {
            Fail(eventData, afterCommit: false);
            return ValueTask.FromResult(result);
        }

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Fail(eventData, afterCommit: true);
            return Task.CompletedTask;
        }

        void Fail(TransactionEventData eventData, bool afterCommit)
        {
            if (Volatile.Read(ref armed) is not { } fault || fault.AfterCommit != afterCommit
                || eventData.Context?.ChangeTracker.Entries<AuditEntry>().Any(e => e.Entity.Action == fault.Action) != true
                || Interlocked.CompareExchange(ref armed, null, fault) != fault) return;
            Interlocked.Increment(ref failed);
            throw new TimeoutException("The connection to the database timed out (injected by the test).");
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

        cases.Fault.Arm("staff.changed", afterCommit: false);
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

    // The COMMIT reached the server but its answer was lost: the change is not made a second time (which would find the
    // old passphrase wrong and say so), the person is told it worked, and there is one audit entry.
    [Fact]
    public async Task APassphraseChangeCommittedWithoutHarbourHearingSoIsReportedDoneAndNotMadeAgain()
    {
        var (pat, id) = await cases.SignedInStaffAsync("Analyst");
        const string next = "harbour lighthouse quietly blue";
        var form = HtmlForm.Read(await pat.GetStringAsync("/cases/passphrase"), "main form");
        (form["current"], form["passphrase"], form["again"]) = (CasesFactory.AdminPassword, next, next);

        cases.Fault.Arm("staff.passphrase-changed", afterCommit: true);
        var changed = await pat.PostAsync("/cases/passphrase", form.ToContent());

        cases.Fault.Failed.ShouldBe(1, "the answer to the commit was lost");
        changed.StatusCode.ShouldBe(HttpStatusCode.Redirect, await changed.Content.ReadAsStringAsync());
        changed.Headers.Location!.ToString().ShouldBe("/cases/sign-in?changed=1");
        await using var scope = cases.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        (await users.CheckPasswordAsync((await users.FindByIdAsync(id))!, next)).ShouldBeTrue();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        (await db.AuditLog.AsNoTracking().CountAsync(e => e.Action == "staff.passphrase-changed" && e.Actor.EndsWith($"({id})"))).ShouldBe(1);
    }
}
