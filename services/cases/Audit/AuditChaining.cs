using Harbour.ServiceDefaults;
using Quartz;

namespace Harbour.Cases.Audit;

// Chains the audit entries committed since it last ran (AuditTrail.ChainPendingAsync), every Audit:ChainInterval (a second),
// scheduled by Quartz.NET. Entries are written unchained so that writing one waits for no other transaction; until this runs,
// a new entry is in the log but not yet in the chain. With several replicas each runs it; one chains at a time, and the
// others find nothing left.
[DisallowConcurrentExecution]
public sealed class AuditChaining(CasesDbContext db, ILogger<AuditChaining> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var quiet = Quiet.Begin();
        var chained = await db.ChainPendingAsync(cancellationToken);
        if (chained > 0) log.LogDebug("Chained {Entries} audit entries", chained);
    }
}
