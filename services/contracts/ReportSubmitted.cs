namespace Harbour.Contracts;

/// <summary>A report was accepted and acknowledged to its reporter. Published by intake through its outbox; consumed by
/// cases (opens one case), notifications (emails the team) and analytics (counts it), each once per <see cref="ReportId"/>.
/// What is safe to share travels in the clear (no narrative, no identity); the description and contact details travel in
/// <see cref="SealedDetails"/>, which only intake and cases can open.</summary>
[PublishedBy(ServiceNames.Intake)]
[ConsumedBy(ServiceNames.Cases, ServiceNames.Notifications, ServiceNames.Analytics)]
public sealed record ReportSubmitted
{
    /// <summary>intake's id of the report (UUID v7); every consumer's key for keeping it once.</summary>
    public required Guid ReportId { get; init; }
    /// <summary>The reference the reporter was given, <c>HR-yyyy-nnnnnn</c>.</summary>
    public required string Reference { get; init; }
    /// <summary>How the reporter chose to report: one of <see cref="ReportKinds.All"/>.</summary>
    public required string Kind { get; init; }
    /// <summary>Category ids of the institution profile (<see cref="Category.Id"/>), at least one, no repeats.</summary>
    public required IReadOnlyList<string> Categories { get; init; }
    /// <summary>A place id of the institution profile (<see cref="Place.Id"/>), e.g. <c>city-campus/library</c> or <c>online</c>.</summary>
    public required string Location { get; init; }
    /// <summary>Who the reporter is: a code of <see cref="ReporterRoles.Terms"/>.</summary>
    public required string ReporterRole { get; init; }
    /// <summary>When intake accepted it (UTC); deadlines count working days from its UK date.</summary>
    public required DateTimeOffset SubmittedAt { get; init; }
    /// <summary>The version of the institution profile intake validated the report against and showed the reporter's due
    /// dates from. cases and notifications plan the report under this same version, whatever the profile is when they
    /// consume it. Version 1 is the default profile Harbour ships with.</summary>
    public required int ProfileVersion { get; init; }
    /// <summary><see cref="ReportDetails"/> as JSON, sealed (AES-256-GCM, <c>v1.</c> then base64).</summary>
    public required string SealedDetails { get; init; }
    /// <summary>How it reached Harbour: a code of <see cref="ReportChannels.Terms"/> (form when not given, as before channels).</summary>
    public string Channel { get; init; } = ReportChannels.Form;
    /// <summary>Who it happened to: a code of <see cref="ReportAnswers.Relations"/> (me, witnessed, on-behalf), or null when the
    /// reporter did not say. A closed answer, safe to count.</summary>
    public string? Relation { get; init; }
    /// <summary>The UK month it happened in, <c>yyyy-MM</c>, from the date the reporter gave (never the day), or null when they
    /// gave none.</summary>
    public string? OccurredIn { get; init; }
}
