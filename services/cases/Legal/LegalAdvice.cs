namespace Harbour.Cases.Legal;

// Advice from the legal department on a case, kept in its own compartment: sealed, and read only by whoever has the case, the
// leads of its teams and admins, every look audited (LegalCompartment).
public sealed class LegalAdvice
{
    public Guid Id { get; init; }
    public Guid CaseId { get; init; }
    public required string SealedAdvice { get; init; }
    public required string RecordedBy { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
}

/// <summary>Legal advice as the compartment shows it (<c>GET /api/cases/{reference}/legal-advice</c>): the advice as recorded,
/// who recorded it and when (UTC).</summary>
public sealed record LegalAdviceView(Guid Id, string Advice, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>The legal compartment of a case: the requests for advice sent to a department (their subject, state and when) and
/// the advice recorded, oldest first.</summary>
public sealed record LegalCompartmentView(string Reference, IReadOnlyList<Departments.AlertView> Requests, IReadOnlyList<LegalAdviceView> Advice);

/// <summary>Advice to record (<c>POST /api/cases/{reference}/legal-advice</c>): AdviceId (a UUID the caller makes, so the same
/// advice sent twice is kept once; optional), Advice (1 to 5,000 characters, sealed), FollowUpOn (a UK date, today or later,
/// by which to follow it up with the reporter: a task for whoever has the case; 5 working days on if left out).</summary>
public sealed record LegalAdviceRequest(Guid? AdviceId, string? Advice, DateOnly? FollowUpOn = null);
