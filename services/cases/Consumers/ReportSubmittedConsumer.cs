using Harbour.Cases.Audit;
using Harbour.Cases.Casework;
using Harbour.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Consumers;

public sealed class ReportSubmittedConsumer(CasesDbContext db, TimeProvider clock, ILogger<ReportSubmittedConsumer> log)
    : IConsumer<ReportSubmitted>
{
    public async Task Consume(ConsumeContext<ReportSubmitted> context)
    {
        var report = context.Message;
        if (await db.Cases.AnyAsync(c => c.ReportId == report.ReportId, context.CancellationToken))
        {
            log.LogInformation("Case for report {Reference} is already open; duplicate ignored", report.Reference);
            return;
        }

        // Planned under the profile version intake used, so the case, the team email and the reporter's confirmation agree.
        var opened = Case.Open(report, clock);
        db.Cases.Add(opened);
        db.AuditLog.Add(AuditEntry.By("system", "case.opened", clock, opened.Id, report.Reference));
        try
        {
            await db.SaveChangesAsync(context.CancellationToken);
            log.LogInformation("Case opened for report {Reference}", report.Reference);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // A concurrent delivery of the same report won the race.
            log.LogInformation("Case for report {Reference} was opened concurrently; duplicate ignored", report.Reference);
        }
    }
}
