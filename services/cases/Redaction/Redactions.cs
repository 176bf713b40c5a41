using System.Security.Claims;
using Harbour.Cases.Audit;
using Harbour.Cases.Casework;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Outbox;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Redaction;

/// <summary>A redaction (<c>POST /api/cases/{reference}/redactions</c>): either a field of the report (a RedactableFields code:
/// description, occurred-when, contact-name, contact-email, contact-phone, contact-times, meeting-times) or a message of the
/// conversation (its id), and why: 1 to 5,000 characters, kept sealed on the timeline.</summary>
public sealed record RedactionRequest(string? Field, Guid? MessageId, string? Reason);

// Redaction destroys: the field or message is overwritten in cases and, through CaseContentRedacted, in intake's copy; nothing
// keeps the original (UK GDPR Art. 5(1)(c), data minimisation: what the case should not hold, it does not). Only those responsible
// for the case may redact it. The same redaction sent again changes nothing.
public static class Redactions
{
    public static async Task<CaseWorkResult> RedactAsync(this CasesDbContext db, string reference, RedactionRequest request, ClaimsPrincipal user,
        Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found
            || !await db.IsResponsibleForAsync(user, found, ct)) return new(false);
        if ((request.Field is null) == (request.MessageId is null)) return new(true, new("item", "Choose one field or one message to redact."));
        if (CaseActions.TextProblem("reason", request.Reason, Limits.Message, "Say why it is redacted: the reason stays on the timeline.") is { } problem)
            return new(true, problem);

        string subject;
        CaseContentRedacted redacted;
        var (id, now) = (Guid.CreateVersion7(), clock.GetUtcNow());
        if (request.Field is { } field)
        {
            if (!RedactableFields.Terms.Has(field)) return new(true, new("item", "That is not a field that can be redacted."));
            if (found.RedactedFields.Contains(field)) return new(true);
            if (!found.Redact(field, sealer)) return new(true, new("item", "That field holds nothing to redact."));
            (subject, redacted) = ($"field:{field}", new CaseContentRedacted(id, found.ReportId, found.Reference, field, null, null, null, now));
        }
        else
        {
            if (await db.Messages.SingleOrDefaultAsync(m => m.Id == request.MessageId && m.ReportId == found.ReportId, ct) is not { } message)
                return new(true, new("item", "That message is not on this case."));
            if (message.RedactedAt is not null) return new(true);
            message.Redact(clock);
            (subject, redacted) = ($"message:{message.Id}",
                new CaseContentRedacted(id, found.ReportId, found.Reference, null, message.Id, message.From, message.At, now));
        }
        db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.Redacted, AuditEntry.ActorOf(user), clock, subject, sealer.Seal(request.Reason!.Trim())));
        db.Outbox.Add(OutboxMessage.For(redacted, clock));
        db.AuditLog.Add(AuditEntry.By(user, "case.redacted", clock, found.Id, subject));
        await db.SaveChangesAsync(ct);
        return new(true);
    }
}
