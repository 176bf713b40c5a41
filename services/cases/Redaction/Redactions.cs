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

// Redaction destroys: the field or message is overwritten in cases (with the copies Harbour made of it: alert bodies, timeline
// texts, sent events in the outbox) and, through CaseContentRedacted, in intake's copy; nothing keeps the original (UK GDPR Art. 5(1)(c), data minimisation: what the case should not hold, it does not). Only those responsible
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
            var original = sealer.Open<ReportDetails>(found.SealedDetails).Value(field);
            if (!found.Redact(field, sealer)) return new(true, new("item", "That field holds nothing to redact."));
            await db.ScrubCopiesAsync(found, original!, sealer, ct);
            (subject, redacted) = ($"field:{field}", new CaseContentRedacted(id, found.ReportId, found.Reference, field, null, null, null, now));
        }
        else
        {
            if (await db.Messages.SingleOrDefaultAsync(m => m.Id == request.MessageId && m.ReportId == found.ReportId, ct) is not { } message)
                return new(true, new("item", "That message is not on this case."));
            if (message.RedactedAt is not null) return new(true);
            await db.ScrubCopiesAsync(found, sealer.Open<string>(message.SealedBody), sealer, ct);
            message.Redact(clock);
            await db.ForgetSentAsync<CaseManagerWrote>(message.Id, ct);
            (subject, redacted) = ($"message:{message.Id}",
                new CaseContentRedacted(id, found.ReportId, found.Reference, null, message.Id, message.From, message.At, now));
        }
        db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.Redacted, AuditEntry.ActorOf(user), clock, subject, sealer.Seal(request.Reason!.Trim())));
        db.Outbox.Add(OutboxMessage.For(redacted, clock));
        db.AuditLog.Add(AuditEntry.By(user, "case.redacted", clock, found.Id, subject));
        await db.SaveChangesAsync(ct);
        return new(true);
    }

    // What Harbour itself copied from the report or the message: an alert's body (its template fills in the place, the time
    // in the reporter's words, and, with their consent, who they are), and the texts on the timeline (notes quoting it). Each
    // copy is replaced where it stands. Shorter than three characters, a value would match too much to be worth it.
    static async Task ScrubCopiesAsync(this CasesDbContext db, Case found, string original, Sealer sealer, CancellationToken ct)
    {
        // Line breaks as LF on both sides: a form sends CRLF, an app LF.
        original = original.Trim().ReplaceLineEndings("\n");
        if (original.Length < 3) return;
        string? Scrubbed(string sealedText) => sealer.Open<string>(sealedText).ReplaceLineEndings("\n") is var text && text.Contains(original, StringComparison.Ordinal)
            ? sealer.Seal(text.Replace(original, "(redacted)", StringComparison.Ordinal)) : null;
        foreach (var alert in await db.Alerts.Where(a => a.CaseId == found.Id).ToListAsync(ct))
            if (Scrubbed(alert.SealedBody) is { } body) alert.SealedBody = body;
        foreach (var entry in await db.Timeline.Where(t => t.CaseId == found.Id && t.SealedText != null).ToListAsync(ct))
            if (Scrubbed(entry.SealedText!) is { } text) entry.ReplaceText(text);
    }
}
