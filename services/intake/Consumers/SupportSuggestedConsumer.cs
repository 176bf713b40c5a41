using Harbour.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Intake.Consumers;

// A service the case manager suggested waits for the reporter's next visit to the follow-up page.
public sealed class SupportSuggestedConsumer(IntakeDbContext db, ILogger<SupportSuggestedConsumer> log) : IConsumer<SupportSuggested>
{
    public async Task Consume(ConsumeContext<SupportSuggested> context)
    {
        var suggested = context.Message;
        var stored = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO suggested_services (id, report_id, service_id, made_on)
            SELECT {suggested.ReferralId}, {suggested.ReportId}, {suggested.ServiceId}, {suggested.MadeOn}
            WHERE EXISTS (SELECT FROM reports WHERE id = {suggested.ReportId} FOR KEY SHARE)
            ON CONFLICT (id) DO NOTHING
            """, context.CancellationToken);
        log.LogInformation(stored == 1 ? "Support suggestion {ReferralId} kept for the reporter" : "Support suggestion {ReferralId} already kept",
            suggested.ReferralId);
    }
}
