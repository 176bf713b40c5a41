namespace Harbour.Analytics.Figures;

// What analytics keeps, one row per event it was told of, never changed afterwards: every figure is a query over these rows,
// so a redelivered or late event changes nothing but its own row, and events consumed in any order give the same figures.
// Nothing here names a person or holds their words; keys are pseudonyms (Pseudonyms) that join nothing outside analytics.

/// <summary>A fact about something done on a case, which the figures filter by its report's category and campus.</summary>
public interface ICaseFact
{
    /// <summary>The case's pseudonym: its ReportFact's CaseKey.</summary>
    Guid CaseKey { get; }
}

/// <summary>A report (ReportSubmitted): when, what, where, by whom in general terms.</summary>
public sealed class ReportFact
{
    /// <summary>The report's pseudonym (Pseudonyms.Of its ReportId).</summary>
    public required Guid CaseKey { get; init; }
    /// <summary>The UK date it was made.</summary>
    public required DateOnly SubmittedOn { get; init; }
    /// <summary>The UK hour it was made (0 to 23): time of day, never the minute.</summary>
    public required int SubmittedHour { get; init; }
    public required string Kind { get; init; }
    public required List<string> Categories { get; init; }
    /// <summary>A place id of the institution profile.</summary>
    public required string Location { get; init; }
    public required string ReporterRole { get; init; }
    public required string Channel { get; init; }
    /// <summary>Who it happened to: a code of ReportAnswers.Relations, or null when the reporter did not say.</summary>
    public string? Relation { get; init; }
    /// <summary>The first day of the UK month it happened in, or null when the reporter gave no date.</summary>
    public DateOnly? OccurredIn { get; init; }
}

/// <summary>A closure of a case (CaseClosed): its outcome, how fast each response step was met, and the learning summary.
/// A case closed, reopened (ReopeningFact) and closed again has two; the latest that no reopening follows stands.</summary>
public sealed class ClosureFact
{
    /// <summary>The closure's pseudonym (Pseudonyms.Of its ClosureId).</summary>
    public required Guid ClosureKey { get; init; }
    public required Guid CaseKey { get; init; }
    /// <summary>The UK date the report was made: closures are counted in the period their report was made in.</summary>
    public required DateOnly SubmittedOn { get; init; }
    /// <summary>The UK date it was closed.</summary>
    public required DateOnly ClosedOn { get; init; }
    /// <summary>When it was closed (UTC): orders it against reopenings of the same case.</summary>
    public required DateTimeOffset ClosedAt { get; init; }
    public required string Outcome { get; init; }
    public required string Kind { get; init; }
    public required List<string> Categories { get; init; }
    public required string Location { get; init; }
    /// <summary>The case manager's anonymised learning summary (at most 4,000 characters), or null.</summary>
    public string? LearningSummary { get; init; }
    public required List<string> Tags { get; init; }
    public List<StepFact> Steps { get; init; } = [];
}

/// <summary>One response step of a closure: the step's code, whether it was met by its due date, and in how many days.</summary>
public sealed class StepFact
{
    public required Guid ClosureKey { get; init; }
    /// <summary>A code of ResponseSteps (triage, first-contact) or a step the profile adds.</summary>
    public required string Step { get; init; }
    /// <summary>The UK date the report was made (its closure's SubmittedOn): a period's steps are read by their own index,
    /// not by joining every step ever kept to the period's closures.</summary>
    public required DateOnly SubmittedOn { get; init; }
    /// <summary>Met on or before the UK date it was due; false if met late or never.</summary>
    public required bool MetInTime { get; init; }
    /// <summary>Days from the report to the step being met (calendar days, fractional), or null if it never was.</summary>
    public double? Days { get; init; }
}

/// <summary>A closed case was reopened (CaseReopened): its closures before this time no longer stand.</summary>
public sealed class ReopeningFact
{
    public required Guid CaseKey { get; init; }
    public required DateTimeOffset ReopenedAt { get; init; }
}

/// <summary>A support service suggested to a reporter (SupportSuggested): signposting or a warm referral.</summary>
public sealed class ReferralFact : ICaseFact
{
    /// <summary>The referral's pseudonym (Pseudonyms.Of its ReferralId).</summary>
    public required Guid ReferralKey { get; init; }
    public required Guid CaseKey { get; init; }
    /// <summary>A support service id of the institution profile.</summary>
    public required string ServiceId { get; init; }
    /// <summary>A code of ReferralKinds.</summary>
    public required string How { get; init; }
    /// <summary>The UK date the reporter was told or introduced: referrals are counted in the period they were made in.</summary>
    public required DateOnly MadeOn { get; init; }
}

/// <summary>What became of a referral, as recorded at one time (ReferralUptakeRecorded); the latest recorded stands.</summary>
public sealed class UptakeFact
{
    public required Guid ReferralKey { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
    /// <summary>A code of ReferralUptakes.</summary>
    public required string Uptake { get; init; }
    /// <summary>A code of ReferralHelped, or null when not known.</summary>
    public string? Helped { get; init; }
}

/// <summary>A response deadline the deadline watch found missed while the case was open (DeadlineMissed).</summary>
public sealed class BreachFact : ICaseFact
{
    public required Guid CaseKey { get; init; }
    /// <summary>A code of ResponseSteps or a step the profile adds.</summary>
    public required string Step { get; init; }
    /// <summary>The UK date it was due by: breaches are counted in the month they fell due.</summary>
    public required DateOnly DueOn { get; init; }
}

/// <summary>A department informed of a case (DepartmentInformed): an alert or a request for legal advice that reached its mail
/// server (one that could not be sent is not here).</summary>
public sealed class AlertFact : ICaseFact
{
    /// <summary>The alert's pseudonym (Pseudonyms.Of its AlertId).</summary>
    public required Guid AlertKey { get; init; }
    public required Guid CaseKey { get; init; }
    /// <summary>A department id of the institution profile.</summary>
    public required string DepartmentId { get; init; }
    /// <summary>The UK date it was sent: alerts are counted in the period they were sent in.</summary>
    public required DateOnly RequestedOn { get; init; }
    /// <summary>When it was sent (UTC, to the hour): the start of its time to acknowledgement.</summary>
    public required DateTimeOffset RequestedAt { get; init; }
    /// <summary>The UK date the department was asked to acknowledge it by.</summary>
    public required DateOnly AcknowledgeBy { get; init; }
}

/// <summary>A department acknowledged an alert (DepartmentAlertAcknowledged), which may arrive before its AlertFact.</summary>
public sealed class AcknowledgementFact
{
    public required Guid AlertKey { get; init; }
    /// <summary>When (UTC, to the hour).</summary>
    public required DateTimeOffset AcknowledgedAt { get; init; }
}

/// <summary>A meeting with the reporter recorded as held or missed (MeetingRecorded).</summary>
public sealed class MeetingFact : ICaseFact
{
    /// <summary>The meeting's pseudonym (Pseudonyms.Of its MeetingId).</summary>
    public required Guid MeetingKey { get; init; }
    public required Guid CaseKey { get; init; }
    /// <summary>True when held; false when the reporter did not come.</summary>
    public required bool Held { get; init; }
    /// <summary>A code of ReportAnswers.MeetingFormats.</summary>
    public required string Format { get; init; }
    /// <summary>The UK date it was to take place: meetings are counted in the period they fell in.</summary>
    public required DateOnly HeldOn { get; init; }
}
