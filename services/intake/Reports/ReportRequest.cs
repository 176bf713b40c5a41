using System.Globalization;
using System.Text.Json.Serialization;
using Harbour.Contracts;

namespace Harbour.Intake.Reports;

/// <summary>A report, as the JSON API (<c>POST /api/reports</c>) and the report form take it. Every field is text (or a
/// list of text) so that any input binds and each mistake is named by its JSON name in a 400 ValidationProblem.
/// Codes come from the institution profile (categories, places) or Harbour's vocabulary (the rest).</summary>
public sealed class ReportRequest
{
    /// <summary>How the reporter reports: <c>anonymous</c> (no contact details allowed), <c>named</c> or <c>meeting</c>
    /// (asks to meet a case manager). Required.</summary>
    public string? Kind { get; set; }
    /// <summary>What it was about: one or more category codes of the institution profile, as the report form lists
    /// them (for example <c>offensive-advertising</c>). Required; a JSON null is an empty list.</summary>
    public List<string> Categories { get; set => field = value ?? []; } = [];
    /// <summary>What happened, in the reporter's words: up to 20,000 characters, a line break counting as one.
    /// Required. Sealed (AES-256-GCM) before it is stored or sent on.</summary>
    public string? Description { get; set; }
    /// <summary>Where it happened: a place code of the institution profile (a building, or <c>online</c> or
    /// <c>off-campus</c>). Required.</summary>
    public string? Location { get; set; }
    /// <summary>The day it happened as <c>yyyy-MM-dd</c>, a UK date, not in the future nor more than 20 years ago.
    /// Give this, or <see cref="OccurredWhen"/>, or both.</summary>
    public string? OccurredOn { get; set; }
    /// <summary>When it happened in the reporter's words, such as "over several months": up to 200 characters.</summary>
    public string? OccurredWhen { get; set; }
    /// <summary>Who the reporter is: <c>student</c>, <c>staff</c> or <c>visitor</c>. Required.</summary>
    public string? ReporterRole { get; set; }
    /// <summary>The reporter's name, up to 200 characters: required for <c>named</c> and <c>meeting</c>, refused for
    /// <c>anonymous</c>. Sealed.</summary>
    public string? ContactName { get; set; }
    /// <summary>An email address (<c>name@example.ac.uk</c>): this or <see cref="ContactPhone"/> is required for
    /// <c>named</c> and <c>meeting</c>. Sealed.</summary>
    public string? ContactEmail { get; set; }
    /// <summary>A phone number: 7 to 15 digits, with spaces, <c>+</c>, <c>-</c> and brackets allowed. Sealed.</summary>
    public string? ContactPhone { get; set; }
    /// <summary>Who it happened to: <c>me</c>, <c>witnessed</c> or <c>on-behalf</c>. Optional.</summary>
    public string? Relation { get; set; }
    /// <summary>Who did it: any of <c>student</c>, <c>staff</c>, <c>external</c>, <c>unknown</c>. Optional.</summary>
    public List<string> PeopleInvolved { get; set => field = value ?? []; } = [];
    /// <summary>How many did it: <c>one</c>, <c>several</c> or <c>not-sure</c>. Optional.</summary>
    public string? HowMany { get; set; }
    /// <summary>How to contact the reporter: <c>email</c> or <c>phone</c> (its detail must then be given). Optional.</summary>
    public string? PreferredContact { get; set; }
    /// <summary>When contact suits the reporter, such as "after 4pm": up to 200 characters. Sealed.</summary>
    public string? ContactTimes { get; set; }
    /// <summary>Whether a message may be left (voicemail, an email someone else might read): <c>yes</c> or <c>no</c>.</summary>
    public string? SafeToLeaveMessage { get; set; }
    /// <summary><c>yes</c>: the reporter agrees that a case manager may contact them. Required for <c>named</c> and
    /// <c>meeting</c> (UK GDPR Article 9(2)(a), explicit consent).</summary>
    public string? ConsentToContact { get; set; }
    /// <summary>How to meet: <c>in-person</c>, <c>online</c> or <c>phone</c>. Required for <c>meeting</c>.</summary>
    public string? MeetingFormat { get; set; }
    /// <summary>When a meeting suits the reporter: up to 200 characters. Sealed.</summary>
    public string? MeetingTimes { get; set; }
    /// <summary>Optional: a UUID of the app's own (not the nil UUID), the same on every retry of one report, so that it
    /// is kept once. Sent again with other content, it answers 409 and keeps nothing.</summary>
    public string? SubmissionId { get; set; }

    [JsonIgnore] public bool IsAnonymous => Kind == ReportKinds.Anonymous;
    [JsonIgnore] public Guid? SubmissionGuid => Guid.TryParse(SubmissionId, out var id) ? id : null;
    [JsonIgnore] public bool HasContact => !string.IsNullOrWhiteSpace(ContactName) || !string.IsNullOrWhiteSpace(ContactEmail)
        || !string.IsNullOrWhiteSpace(ContactPhone);

    [JsonIgnore]
    public DateOnly? OccurredDate =>
        DateOnly.TryParseExact(OccurredOn?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date : null;

    // Keys are the JSON field names, so the API and the form name the same fields.
    public Dictionary<string, string[]> Validate(DateOnly today, InstitutionProfile profile)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];

        if (!ReportKinds.All.Contains(Kind))
            Fail("kind", "Choose how you want to report: anonymously, with your name, or by meeting a case manager.");
        if (Categories.Count == 0)
            Fail("categories", "Choose at least one kind of incident.");
        else if (Categories.Any(c => !profile.Categories.Any(k => k.Id == c)))
            Fail("categories", "Choose kinds of incident from the list.");
        if (string.IsNullOrWhiteSpace(Description))
            Fail("description", "Tell us what happened, in your own words.");
        else if (Limits.IsOver(Description, Limits.Description))
            Fail("description", $"Keep the description under {Limits.Description:N0} characters.");
        if (!profile.Places.Any(p => p.Id == Location))
            Fail("location", "Choose where it happened, or choose online or off campus.");

        if (!string.IsNullOrWhiteSpace(OccurredOn))
        {
            if (OccurredDate is not { } date) Fail("occurredOn", "Enter the date as year-month-day, for example 2026-03-21.");
            else if (date > today) Fail("occurredOn", "The date cannot be in the future.");
            else if (date < today.AddYears(-20)) Fail("occurredOn", "Enter a date in the last 20 years.");
        }
        else if (string.IsNullOrWhiteSpace(OccurredWhen))
            Fail("occurredOn", "Tell us when it happened: a date, or roughly, such as \"last week\".");
        if (Limits.IsOver(OccurredWhen, Limits.ShortText)) Fail("occurredWhen", $"Keep this under {Limits.ShortText} characters.");

        if (!ReporterRoles.Terms.Has(ReporterRole))
            Fail("reporterRole", "Tell us whether you are a student, a member of staff or a visitor.");
        if (Relation is not null && !ReportAnswers.Relations.Has(Relation))
            Fail("relation", "Choose who it happened to from the list, or leave it.");
        if (PeopleInvolved.Any(p => !ReportAnswers.PeopleInvolved.Has(p)))
            Fail("peopleInvolved", "Choose who was involved from the list.");
        if (HowMany is not null && !ReportAnswers.HowMany.Has(HowMany))
            Fail("howMany", "Choose how many people were involved from the list, or leave it.");

        if (IsAnonymous && HasContact)
            Fail("contactName", "An anonymous report has no contact details: clear them, or choose to report with your name.");
        if (Kind is ReportKinds.Named or ReportKinds.Meeting)
        {
            if (string.IsNullOrWhiteSpace(ContactName)) Fail("contactName", "Enter your name so that a case manager can contact you.");
            else if (Limits.IsOver(ContactName, Limits.ShortText)) Fail("contactName", $"Keep your name under {Limits.ShortText} characters.");
            if (string.IsNullOrWhiteSpace(ContactEmail) && string.IsNullOrWhiteSpace(ContactPhone))
                Fail("contactEmail", "Enter an email address or a phone number so that a case manager can contact you.");
            if (!string.IsNullOrWhiteSpace(ContactEmail) && !Limits.IsEmail(ContactEmail.Trim()))
                Fail("contactEmail", "Enter an email address like name@example.ac.uk.");
            if (!string.IsNullOrWhiteSpace(ContactPhone) && !IsPhone(ContactPhone))
                Fail("contactPhone", "Enter a phone number using digits, like 07700 900123.");
            if (PreferredContact is not null && !ReportAnswers.ContactMethods.Has(PreferredContact))
                Fail("preferredContact", "Choose email or phone.");
            else if (PreferredContact == "email" && string.IsNullOrWhiteSpace(ContactEmail))
                Fail("contactEmail", "Enter your email address, as you would like to be contacted by email.");
            else if (PreferredContact == "phone" && string.IsNullOrWhiteSpace(ContactPhone))
                Fail("contactPhone", "Enter your phone number, as you would like to be contacted by phone.");
            if (SafeToLeaveMessage is not null and not ("yes" or "no"))
                Fail("safeToLeaveMessage", "Choose yes or no.");
            if (Limits.IsOver(ContactTimes, Limits.ShortText)) Fail("contactTimes", $"Keep this under {Limits.ShortText} characters.");
            if (ConsentToContact != "yes")
                Fail("consentToContact", "Tick the box to agree that a case manager may contact you, or choose to report anonymously.");
        }
        if (Kind == ReportKinds.Meeting)
        {
            if (!ReportAnswers.MeetingFormats.Has(MeetingFormat))
                Fail("meetingFormat", "Choose how you would like to meet: in person, online or by phone.");
            if (Limits.IsOver(MeetingTimes, Limits.ShortText)) Fail("meetingTimes", $"Keep this under {Limits.ShortText} characters.");
        }
        if (!string.IsNullOrEmpty(SubmissionId) && (SubmissionGuid is null || SubmissionGuid == Guid.Empty))
            Fail("submissionId", "Leave this out, or send a UUID of your own (not the nil UUID), the same one each time you retry one report.");
        return errors;
    }

    // The report as form fields, so that the check page can carry it to sending without keeping it anywhere.
    public IEnumerable<KeyValuePair<string, string>> AsFormFields()
    {
        var single = new (string Name, string? Value)[]
        {
            ("kind", Kind), ("description", Description), ("location", Location), ("occurredOn", OccurredOn),
            ("occurredWhen", OccurredWhen), ("reporterRole", ReporterRole), ("contactName", ContactName), ("contactEmail", ContactEmail),
            ("contactPhone", ContactPhone), ("relation", Relation), ("howMany", HowMany), ("preferredContact", PreferredContact),
            ("contactTimes", ContactTimes), ("safeToLeaveMessage", SafeToLeaveMessage), ("consentToContact", ConsentToContact),
            ("meetingFormat", MeetingFormat), ("meetingTimes", MeetingTimes), ("submissionId", SubmissionId),
        };
        return single.Where(f => !string.IsNullOrEmpty(f.Value)).Select(f => KeyValuePair.Create(f.Name, f.Value!))
            .Concat(Categories.Select(c => KeyValuePair.Create("categories", c)))
            .Concat(PeopleInvolved.Select(p => KeyValuePair.Create("peopleInvolved", p)));
    }

    // Contact preferences are kept only for reports that asked to be contacted.
    public ReportDetails ToDetails() => new(
        Description!.Trim(), OccurredDate, Clean(OccurredWhen), Clean(ContactName), Clean(ContactEmail), Clean(ContactPhone),
        Clean(Relation), PeopleInvolved.Distinct().ToList(), Clean(HowMany),
        IsAnonymous ? null : Clean(PreferredContact), IsAnonymous ? null : Clean(ContactTimes),
        IsAnonymous || SafeToLeaveMessage is null ? null : SafeToLeaveMessage == "yes",
        Kind == ReportKinds.Meeting ? Clean(MeetingFormat) : null, Kind == ReportKinds.Meeting ? Clean(MeetingTimes) : null);

    static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    static bool IsPhone(string text)
    {
        var digits = text.Count(char.IsDigit);
        return digits is >= 7 and <= 15 && text.All(c => char.IsDigit(c) || " +-()".Contains(c));
    }
}
