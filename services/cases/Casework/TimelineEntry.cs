namespace Harbour.Cases.Casework;

// One thing done on a case, for its timeline: an assignment, a status change and its reason, a note or a correction of
// one, a step met, a closure or a reopening. Append-only: a note is corrected by a new entry that refers to it, never
// edited. What people wrote (notes, reasons, learning summaries) is sealed like the narrative; Subject holds codes only
// (a status, a step, an outcome, a staff account id, a team).
public sealed class TimelineEntry
{
    public Guid Id { get; private init; }
    public Guid CaseId { get; private init; }
    public DateTimeOffset At { get; private init; }
    public required string Kind { get; init; }
    public required string Actor { get; init; }
    public string? Subject { get; init; }
    public string? SealedText { get; private set; }
    // The note a correction corrects.
    public Guid? Corrects { get; init; }

    // The one change a line ever takes: a redaction removing what it quoted of the report or a message.
    public void ReplaceText(string sealedText) => SealedText = sealedText;

    public static TimelineEntry On(Case c, string kind, string actor, TimeProvider clock, string? subject = null, string? sealedText = null,
        Guid? corrects = null) =>
        new()
        {
            Id = Guid.CreateVersion7(), CaseId = c.Id, At = clock.GetUtcNow(), Kind = kind, Actor = actor, Subject = subject,
            SealedText = sealedText, Corrects = corrects,
        };
}

public static class TimelineKinds
{
    public const string Assigned = "assigned", Status = "status", Note = "note", Correction = "correction", StepMet = "step-met",
        Closed = "closed", Reopened = "reopened", ActionDone = "action-done", ActionSkipped = "action-skipped", TaskAdded = "task-added",
        TaskDone = "task-done", Tagged = "tagged", Unassigned = "unassigned", AlertSent = "alert-sent", AlertDelivered = "alert-delivered",
        AlertAcknowledged = "alert-acknowledged", AlertFailed = "alert-failed", AlertReminded = "alert-reminded", IdentityConsent = "identity-consent",
        Referral = "referral", ReferralUptake = "referral-uptake", MeetingArranged = "meeting-arranged", MeetingMoved = "meeting-moved",
        MeetingCancelled = "meeting-cancelled", MeetingHeld = "meeting-held", MeetingMissed = "meeting-missed",
        LegalAdvice = "legal-advice", Redacted = "redacted", LegalHold = "legal-hold", LegalHoldLifted = "legal-hold-lifted",
        ErasureRefused = "erasure-refused", InvolvementRemoved = "involvement-removed";
}
