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
        // A copy arriving after its case was deleted at the end of its retention period (a redelivery) opens nothing again.
        if (await db.Deletions.AnyAsync(d => d.Reference == report.Reference, context.CancellationToken))
        {
            log.LogInformation("Report {Reference} was deleted at the end of its retention period; late copy ignored", report.Reference);
            return;
        }

        // Planned under the profile version intake used, so the case, the team email and the reporter's confirmation agree.
        var profile = (await db.ProfileVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Version == report.ProfileVersion, context.CancellationToken))?.Profile
            ?? Harbour.Profile.DefaultProfile.Value;
        var opened = Case.Open(report, profile.TeamsFor(report.Categories), clock);
        db.Cases.Add(opened);
        var steps = CaseStep.For(opened, profile).ToList();
        db.Steps.AddRange(steps);
        opened.TrackSteps(steps);
        // What the reporter added before the case opened was audited under the report's reference; the case's own trail
        // says so too.
        var messages = await db.Messages.CountAsync(m => m.ReportId == report.ReportId, context.CancellationToken);
        var files = await db.Evidence.CountAsync(e => e.ReportId == report.ReportId, context.CancellationToken);
        db.AuditLog.Add(AuditEntry.By("system", "case.opened", clock, opened.Id,
            messages + files == 0 ? report.Reference
                : $"{report.Reference}; {messages} {(messages == 1 ? "message" : "messages")} and {files} {(files == 1 ? "file" : "files")} had arrived before it"));
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
