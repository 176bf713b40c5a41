using Harbour.Contracts;

namespace Harbour.Cases.Casework;

// Whether Harbour may email the reporter (a meeting's invitation, a message waiting): only when they gave an address, chose
// email, and said it is safe to contact them. Otherwise they learn of it on their follow-up page.
public static class ReporterContact
{
    public static Recipient? EmailIfSafe(ReportDetails details) =>
        !string.IsNullOrWhiteSpace(details.ContactEmail) && details.PreferredContact == "email" && details.SafeToLeaveMessage == true
            ? new Recipient(details.ContactEmail, details.ContactName ?? "")
            : null;
}
