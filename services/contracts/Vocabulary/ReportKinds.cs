namespace Harbour.Contracts;

// The three ways to report (ReportSubmitted.Kind). Their names and descriptions are the institution's: profile.Kinds.
public static class ReportKinds
{
    public const string Anonymous = "anonymous", Named = "named", Meeting = "meeting";
    public static readonly string[] All = [Anonymous, Named, Meeting];
}
