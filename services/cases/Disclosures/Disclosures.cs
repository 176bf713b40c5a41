using System.Security.Claims;
using System.Text.Json;
using Harbour.Cases.Audit;
using Harbour.Cases.Casework;
using Harbour.Contracts;
using Harbour.ServiceDefaults;
using Harbour.ServiceDefaults.Outbox;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Disclosures;

/// <summary>A disclosure to record (<c>POST /api/cases/disclosures</c>): DisclosureId (a UUID the caller makes, so the same one
/// sent twice is kept once; optional), Channel (phone, email or in-person), and Report: the report as <c>POST /api/reports</c>
/// takes it (kind, categories, description, location, occurredOn or occurredWhen, reporterRole, and for a named report or a
/// meeting request the contact details and consentToContact "yes": the reporter agreed that a case manager may contact them).
/// intake checks it as it checks every report; the answer comes at <c>GET /api/cases/disclosures/{id}</c>.</summary>
public sealed record DisclosureRequest(Guid? DisclosureId, string? Channel, JsonElement? Report);

// Recording what someone told a case manager outside Harbour, so that every disclosure is counted in one place and followed up
// as a case. intake owns reports and their rules: it answers whether the report is kept.
public static class Disclosures
{
    // A report's JSON: the description's 20,000 characters and every other field, with room to spare.
    const int MaxReport = 64 * 1024;

    public static async Task<(Guid? Id, FieldProblem? Problem)> RecordDisclosureAsync(this CasesDbContext db, DisclosureRequest request, ClaimsPrincipal user,
        Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        if (!user.IsInRole(StaffRoles.CaseManager) && !user.IsInRole(StaffRoles.Admin)) return (null, new("channel", "Only case managers record disclosures."));
        if (request.DisclosureId is { } earlier && await db.Disclosures.AnyAsync(d => d.Id == earlier, ct)) return (earlier, null);
        if (!ReportChannels.ByStaff.Has(request.Channel))
            return (null, new("channel", $"Say how the report was made: {Terms.Listed(ReportChannels.ByStaff.Select(t => t.Label.ToLowerInvariant()))}."));
        if (request.Report is not { ValueKind: JsonValueKind.Object } report) return (null, new("report", "Give the report, as the report API takes it."));
        if (report.GetRawText().Length > MaxReport) return (null, new("report", $"Keep the report under {MaxReport / 1024} KB."));
        var disclosure = new Disclosure
        {
            Id = request.DisclosureId is { } id && id != Guid.Empty ? id : Guid.CreateVersion7(), Channel = request.Channel!,
            SealedReport = sealer.Seal(report), RecordedById = user.FindFirstValue("sub")!, RecordedBy = AuditEntry.ActorOf(user), RecordedAt = clock.GetUtcNow(),
        };
        db.Disclosures.Add(disclosure);
        // The report is sealed inside; the row keeps no copy once the broker has it anyway.
        db.Outbox.Add(OutboxMessage.For(new DisclosureRecorded(disclosure.Id, disclosure.Channel, disclosure.SealedReport, disclosure.RecordedAt), clock, secret: true));
        db.AuditLog.Add(AuditEntry.By(user, "disclosure.recorded", clock, detail: $"{disclosure.Id} ({disclosure.Channel})"));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // The same disclosure sent twice at once: the other was kept.
            db.ChangeTracker.Clear();
        }
        return (disclosure.Id, null);
    }

    // Its recorder (or an admin) sees where it stands; the receipt is shown to the recorder once, then forgotten.
    public static async Task<DisclosureView?> ViewDisclosureAsync(this CasesDbContext db, Guid id, ClaimsPrincipal user, Sealer sealer, TimeProvider clock,
        CancellationToken ct)
    {
        var me = user.FindFirstValue("sub");
        if (await db.Disclosures.SingleOrDefaultAsync(d => d.Id == id && (d.RecordedById == me || user.IsInRole(StaffRoles.Admin)), ct) is not { } disclosure)
            return null;
        // Shown once: taken off the row in the statement that reads it away, so two requests at once cannot both show it.
        string? receipt = null;
        if (disclosure.SealedReceipt is { } sealedReceipt && disclosure.RecordedById == me
            && await db.Disclosures.Where(d => d.Id == id && d.SealedReceipt == sealedReceipt)
                .ExecuteUpdateAsync(set => set.SetProperty(d => d.SealedReceipt, (string?)null), ct) == 1)
        {
            receipt = sealer.Open<string>(sealedReceipt);
            db.AuditLog.Add(AuditEntry.By(user, "disclosure.receipt-shown", clock, detail: disclosure.Reference));
        }
        var problems = disclosure.SealedProblems is { } sealedProblems ? sealer.Open<Dictionary<string, string[]>>(sealedProblems) : [];
        var typed = disclosure.SealedReport is { } sealedReport
            ? sealer.Open<Dictionary<string, JsonElement>>(sealedReport).ToDictionary(f => f.Key, f => (object?)f.Value)
            : [];
        db.AuditLog.Add(AuditEntry.By(user, "disclosure.viewed", clock, detail: disclosure.Id.ToString()));
        await db.SaveChangesAsync(ct);
        return new DisclosureView(disclosure.Id, disclosure.Channel, disclosure.Status, disclosure.Reference, receipt, problems, typed, disclosure.RecordedAt);
    }
}
