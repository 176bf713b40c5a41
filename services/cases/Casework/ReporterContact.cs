using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;

namespace Harbour.Cases.Casework;

// Whether Harbour may email the reporter (a meeting's invitation, a message waiting): only when they gave an address, chose
// email, and said it is safe to contact them. Otherwise they learn of it on their follow-up page. The address goes to
// notifications sealed with the mail key.
public static class ReporterContact
{
    public static Recipient? EmailIfSafe(ReportDetails details) =>
        !string.IsNullOrWhiteSpace(details.ContactEmail) && details.PreferredContact == "email" && details.SafeToLeaveMessage == true
            ? new Recipient(details.ContactEmail, details.ContactName ?? "")
            : null;

    /// <summary>The reporter's <see cref="Recipient"/> sealed with the mail key, as events to notifications carry it; null when
    /// they may not be emailed.</summary>
    public static string? SealedEmailIfSafe(ReportDetails details, Sealer mail) => EmailIfSafe(details) is { } reporter ? mail.Seal(reporter) : null;
}
