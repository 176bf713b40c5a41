namespace Harbour.Analytics.Figures;

// What analytics keeps, one row per event it was told of, never changed afterwards: every figure is a query over these rows,
// so a redelivered or late event changes nothing but its own row, and events consumed in any order give the same figures.
// Nothing here names a person or holds their words; keys are pseudonyms (Pseudonyms) that join nothing outside analytics.

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
public sealed class ReferralFact
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
