using Harbour.Contracts;
using Harbour.ServiceDefaults.Outbox;
using Harbour.ServiceDefaults.Security;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Intake.Consumers;

// The case team redacted part of a case: intake's copy goes too. A message that has not reached intake yet is kept as removed,
// so that its copy arriving later (CaseManagerWrote, kept once by id) finds it already there and does not bring the text back.
public sealed class CaseContentRedactedConsumer(IntakeDbContext db, Sealer sealer, ILogger<CaseContentRedactedConsumer> log)
    : IConsumer<CaseContentRedacted>
{
    public async Task Consume(ConsumeContext<CaseContentRedacted> context)
    {
        var redacted = context.Message;
        if (redacted.Field is { } field)
        {
            if (await db.Reports.SingleOrDefaultAsync(r => r.Id == redacted.ReportId, context.CancellationToken) is not { } report)
            {
                log.LogWarning("Redaction {RedactionId} names a report intake does not hold", redacted.RedactionId);
                return;
            }
            report.Redact(field, sealer);
            await db.SaveChangesAsync(context.CancellationToken);
            await db.ForgetSentAsync<ReportSubmitted>(report.Id, context.CancellationToken);
        }
        else if (redacted is { MessageId: { } id, MessageFrom: { } from, MessageAt: { } at })
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO conversation_messages (id, report_id, "from", sealed_body, at, removed_at)
                SELECT {id}, {redacted.ReportId}, {from}, '', {at}, {redacted.RedactedAt}
                WHERE EXISTS (SELECT FROM reports WHERE id = {redacted.ReportId} FOR KEY SHARE)
                ON CONFLICT (id) DO UPDATE SET sealed_body = '', removed_at = COALESCE(conversation_messages.removed_at, EXCLUDED.removed_at)
                """, context.CancellationToken);
            await db.ForgetSentAsync<ReporterWrote>(id, context.CancellationToken);
        }
        log.LogInformation("Redaction {RedactionId} applied to report {Reference}", redacted.RedactionId, redacted.Reference);
    }
}
