namespace Harbour.Contracts;

/// <summary>A case was closed with an outcome. Published by cases for analytics (the steering group's figures and learning
/// summaries); carries no identity, narrative or contact detail. A case reopened and closed again is a new closure
/// (<see cref="ClosureId"/>).</summary>
/// <param name="ClosureId">This closure's id (UUID v7): the key a consumer counts it once by.</param>
/// <param name="ReportId">intake's id of the report the case was opened for.</param>
/// <param name="Outcome">A code of the institution profile's outcomes (the version the case was opened under).</param>
/// <param name="Kind">anonymous, named or meeting.</param>
/// <param name="Categories">Category codes of the profile.</param>
/// <param name="Location">A place code of the profile.</param>
/// <param name="SubmittedAt">When the report was made (UTC).</param>
/// <param name="StepsMet">When each response step (triage, first-contact, and any the profile adds) was met (UTC), or null
/// if it never was; with the date it was due (UK calendar date).</param>
/// <param name="SealedLearningSummary">What happened and what helped, in general words, written by the case manager for the
/// steering group (at most 4,000 characters), sealed (ServiceDefaults/Security/Sealer.cs: key id, nonce, AES-256-GCM) with the
/// learning key, Harbour:LearningKey, which only cases and analytics hold, so that the broker never holds it in clear; null
/// when none was written. Never the reporter's own words.</param>
/// <param name="ClosedAt">When (UTC).</param>
/// <param name="Tags">The case manager's tags for the case (lower case, at most 40 characters each): the steering group's themes.</param>
/// <param name="LearningSummary">Only in a closure published before learning summaries were sealed: the summary in clear.
/// Never set now; read when <paramref name="SealedLearningSummary"/> is null.</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Analytics)]
public sealed record CaseClosed(Guid ClosureId, Guid ReportId, string Outcome, string Kind, IReadOnlyList<string> Categories, string Location,
    DateTimeOffset SubmittedAt, IReadOnlyList<StepMet> StepsMet, string? SealedLearningSummary, DateTimeOffset ClosedAt, IReadOnlyList<string> Tags,
    string? LearningSummary = null);

/// <summary>One response step of a closed case: its code, the UK date it was due, and when it was met (UTC; null if never).</summary>
public sealed record StepMet(string Step, DateOnly DueOn, DateTimeOffset? MetAt);

/// <summary>A closed case was reopened (for analytics: its closure no longer stands until it closes again).</summary>
/// <param name="ReportId">intake's id of the report the case was opened for.</param>
/// <param name="ReopenedAt">When (UTC).</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Analytics)]
public sealed record CaseReopened(Guid ReportId, DateTimeOffset ReopenedAt);
