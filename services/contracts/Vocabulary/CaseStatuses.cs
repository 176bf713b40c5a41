namespace Harbour.Contracts;

// Where a case stands (CaseStatusChanged.Status), in the order a case usually moves through them. Staff read Terms; the
// reporter reads ForReporter on the follow-up page.
public static class CaseStatuses
{
    public const string Received = "received", Triaged = "triaged", WithCaseManager = "with-case-manager",
        AwaitingReporter = "awaiting-reporter", ActionTaken = "action-taken", Closed = "closed";

    public static readonly Terms Terms = new(
        new(Received, "New"), new(Triaged, "Triaged"), new(WithCaseManager, "In progress"), new(AwaitingReporter, "Awaiting the reporter"),
        new(ActionTaken, "Action taken"), new(Closed, "Closed"));

    public static string ForReporter(string status) => status switch
    {
        Triaged => "A case manager has read your report and it is with the right team.",
        WithCaseManager => "A case manager is working on your report.",
        AwaitingReporter => "Your case manager is waiting to hear from you. Read their message below when you are ready.",
        ActionTaken => "Action has been taken. Your case manager may still write to you here.",
        Closed => "Your report is closed. You can still read the conversation.",
        _ => "Received. A case manager will read it soon.",
    };
}
