namespace Harbour.Contracts;

// Where a case stands (CaseStatusChanged.Status), in the order a case usually moves through them. Staff read Terms; the
// reporter reads ForReporter on the follow-up page.
public static class CaseStatuses
{
    public const string Received = "received", WithCaseManager = "with-case-manager", ActionTaken = "action-taken", Closed = "closed";

    public static readonly Terms Terms = new(
        new(Received, "Received"), new(WithCaseManager, "With a case manager"), new(ActionTaken, "Action taken"), new(Closed, "Closed"));

    public static string ForReporter(string status) => status switch
    {
        WithCaseManager => "A case manager is working on your report.",
        ActionTaken => "Action has been taken. Your case manager may still write to you here.",
        Closed => "Your report is closed. You can still read the conversation.",
        _ => "Received. A case manager will read it soon.",
    };
}
