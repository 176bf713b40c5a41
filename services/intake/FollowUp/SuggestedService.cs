namespace Harbour.Intake.FollowUp;

// A support service the reporter's case manager suggested (SupportSuggested), shown on the follow-up page with the
// directory's details from the current profile. Its id is the referral's, so a redelivered event keeps it once.
public sealed class SuggestedService
{
    public Guid Id { get; init; }
    public Guid ReportId { get; init; }
    public required string ServiceId { get; init; }
    public DateOnly MadeOn { get; init; }
}
