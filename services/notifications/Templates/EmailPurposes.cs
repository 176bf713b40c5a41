namespace Harbour.Notifications.Templates;

/// <summary>A placeholder a template may hold, as <c>{name}</c>: what it is replaced by, the sample the preview shows, and whether
/// the subject may hold it (a subject is logged and shown on a lock screen: never a link's secret, never a reporter's name).</summary>
public sealed record Placeholder(string Name, string Meaning, string Sample, bool InSubject = true);

/// <summary>What an email is for (the first part of its delivery key), who receives it, and, for the emails whose words the
/// institution may change, the default subject and plain text, the placeholders they may hold and those they must hold.</summary>
public sealed record EmailPurpose(string Code, string Label, string Audience, string? Subject = null, string? Text = null,
    IReadOnlyList<Placeholder>? Placeholders = null, IReadOnlyList<string>? Required = null)
{
    public bool Editable => Text is not null;
}

// Every email notifications sends, in one list: the delivery log names them from it, and the editable ones start from the
// defaults here until an admin changes them. Department alerts are written by the case manager from the institution
// profile's templates, and meeting invitations carry a calendar whose words must match it: neither is edited here.
public static class EmailPurposes
{
    static readonly Placeholder Link = new("link", "the page to open (the only way in: keep it)", "https://harbour.example.ac.uk/...", InSubject: false);
    static readonly Placeholder Reference = new("reference", "the case's reference", "HR-2026-000123");

    public static readonly IReadOnlyList<EmailPurpose> All =
    [
        new("report-submitted", "New report (to the case team)", "the case team's address",
            "New report {reference} awaiting assignment",
            """
            A new report is waiting for a case manager.

            Reference:  {reference}
            Made:       {kind}
            Categories: {categories}
            Specialism: {specialism}
            Received:   {received} UK time
            Due:        {due}

            Open the case: {link}

            The details of the report are in Harbour only. Please do not forward this email.
            """,
            [Reference, new("kind", "how it was made (anonymously, named, asking to meet)", "Anonymously"),
                new("categories", "the categories, as the profile names them", "Race, Religion or faith"),
                new("specialism", "the specialism teams it goes to", "Equality and inclusion"),
                new("received", "when it came in (UK date and time)", "1 December 2026 09:30"),
                new("due", "each response step and its due date", "Triage by Wednesday 2 December 2026"), Link],
            ["link"]),
        new("staff-invited", "Staff invitation", "the person invited",
            "Your invitation to Harbour",
            """
            Hello {name},

            You have been invited to Harbour, the university's case management system for reports of harassment and
            hate incidents. Choose a passphrase to create your account:

            {link}

            The link works once, until {expires} UK time. If you were not expecting
            this invitation, ignore it and tell your administrator.
            """,
            [new("name", "the person's display name", "Sam Taylor"), Link, new("expires", "when the link stops working (UK date and time)", "8 December 2026 09:30")],
            ["link"]),
        new("staff-passphrase-reset", "New passphrase (staff)", "the account whose passphrase was forgotten",
            "Choose a new Harbour passphrase",
            """
            Hello {name},

            Someone asked to reset the passphrase of your Harbour account. If it was you, choose a new one here:

            {link}

            The link works once, until {expires} UK time. You will still need your authenticator app to sign in.

            If you did not ask, ignore this email: your passphrase has not changed. Tell your administrator if it
            happens again.
            """,
            [new("name", "the person's display name", "Sam Taylor"), Link, new("expires", "when the link stops working (UK date and time)", "1 December 2026 10:30")],
            ["link"]),
        new("case-assigned", "Case assigned", "the case manager given the case",
            "Case {reference} has been assigned to you",
            """
            Hello {name},

            {assignedBy} has assigned case {reference} to you in Harbour:

            {link}

            Sign in to read it. This email says nothing about the report on purpose.
            """,
            [new("name", "the case manager's display name", "Sam Taylor"), new("assignedBy", "who assigned it", "Alex Lead"), Reference, Link],
            ["link"]),
        new("sla-breached", "Deadline passed", "whoever has the case and its team leads (else the case team)",
            "Deadline passed: {step} on case {reference}",
            """
            Hello {name},

            A deadline has passed on case {reference}. {step} was due by {due} and is not done.

            {link}

            Sign in to see the case. This email says nothing about the report on purpose.
            """,
            [new("name", "the recipient's display name", "Sam Taylor"), Reference, new("step", "the response step", "First contact"),
                new("due", "its due date (UK)", "Friday 4 December 2026"), Link],
            ["link"]),
        new("reporter-message", "The reporter wrote (to the case manager)", "whoever has the case",
            "A message is waiting on case {reference}",
            """
            Hello {name},

            The reporter has written on case {reference}. Their message is waiting for you in Harbour:

            {link}

            This email says nothing about the message on purpose.
            """,
            [new("name", "the case manager's display name", "Sam Taylor"), Reference, Link],
            ["link"]),
        new("reporter-message-ready", "New message (to the reporter)", "a named reporter who chose email and said it is safe",
            "A new message from {institution}",
            """
            {greeting},

            There is a new message for you from {institution}. To read it, open the page below and enter the reference and
            the receipt you were given:

            {link}

            This email says nothing more on purpose.
            """,
            [new("greeting", "Hello and the name they gave, if any", "Hello Ana", InSubject: false), new("institution", "the institution's name", "University of Northgate"), Link],
            ["link"]),
        new("department-alert", "Department alert", "a department of the profile (the case manager writes it)"),
        new("department-alert-reminder", "Reminder to acknowledge an alert", "the department that has not acknowledged",
            "Reminder: please acknowledge the alert about case {reference}",
            """
            Hello,

            On {sentOn} {institution} sent {department} an alert about case {reference}
            ("{subject}"). It was to be acknowledged by {acknowledgeBy} and has not been yet.

            Please find that email, act on it, and confirm that you have read it:

            {link}

            The link works once and needs no account. If you cannot find the email, reply to this one and it will be sent again.
            """,
            [new("sentOn", "when the alert was sent (UK date)", "1 December 2026"), new("institution", "the institution's name", "University of Northgate"),
                new("department", "the department's name", "Campus Security"), Reference, new("subject", "the alert's subject", "Case HR-2026-000123: please act"),
                new("acknowledgeBy", "the date it was to be acknowledged by (UK)", "3 December 2026"),
                new("link", "the new acknowledge link (keep it: it is how they confirm)", "https://harbour.example.ac.uk/acknowledge/...", InSubject: false)],
            ["link"]),
        new("meeting", "Meeting invitation (with a calendar file)", "the case manager, and the reporter if they chose email"),
        new("audit-anchor", "Audit log anchor", "the data-protection mailbox (Notifications:AuditAnchorTo)",
            "Harbour audit log anchor, {day}",
            """
            This is Harbour's audit log as it stood on {day}. Keep this email: it is the proof, kept outside Harbour's
            database, that the log has not been cut short or rewritten since.

            Newest entry: {entry}
            Written:      {written} UK time
            Hash:         {hash}

            {chain}

            To check the log, an administrator enters the entry number and the hash under "Check the log against an anchor" at
            {link}

            This email names no case and no person.
            """,
            [new("day", "the UK date the anchor was taken", "2 December 2026"), new("entry", "the newest entry's number", "4521"),
                new("written", "when that entry was written (UK date and time)", "2 December 2026 05:59"),
                new("hash", "that entry's SHA-256 chain hash (64 hexadecimal characters)", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
                new("chain", "whether the log's chain held when the anchor was taken (a warning if not)", "The log's chain held when this was taken.", InSubject: false),
                new("link", "the audit log page", "https://harbour.example.ac.uk/cases/audit")],
            ["entry", "hash", "chain"]),
    ];

    public static EmailPurpose? Find(string? code) => All.FirstOrDefault(p => p.Code == code);

    public static string Label(string code) => Find(code)?.Label ?? code;
}
