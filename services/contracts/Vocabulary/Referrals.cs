namespace Harbour.Contracts;

// How a case manager put the reporter in touch with a support service.
public static class ReferralKinds
{
    public const string Signpost = "signpost", WarmReferral = "warm-referral";
    public static readonly Terms Terms = new(new(Signpost, "Information given (signposting)"), new(WarmReferral, "Warm referral (introduced to the service)"));
}

// Whether the reporter took a referral up, as they told their case manager.
public static class ReferralUptakes
{
    public const string NotKnown = "not-known", TakenUp = "taken-up", NotTakenUp = "not-taken-up";
    public static readonly Terms Terms = new(new(NotKnown, "Not known yet"), new(TakenUp, "Taken up"), new(NotTakenUp, "Not taken up"));
}

// Whether a service the reporter used helped them, as they said.
public static class ReferralHelped
{
    public static readonly Terms Terms = new(new("yes", "It helped"), new("partly", "It helped a little"), new("no", "It did not help"));
}
