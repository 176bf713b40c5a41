namespace Harbour.Contracts;

// The closed answers of the report form, as ReportDetails carries them: who it happened to (Relation), who did it
// (PeopleInvolved, HowMany), how to contact the reporter (PreferredContact) and how to meet (MeetingFormat).
public static class ReportAnswers
{
    public static readonly Terms Relations = new(
        new("me", "Me"), new("witnessed", "Someone else: I saw or heard it"), new("on-behalf", "Someone else: I am reporting for them"));

    public static readonly Terms PeopleInvolved = new(
        new("student", "A student"), new("staff", "A member of staff"), new("external", "Someone from outside the university"),
        new("unknown", "I do not know"));

    public static readonly Terms HowMany = new(new("one", "One person"), new("several", "More than one"), new("not-sure", "I am not sure"));

    public static readonly Terms ContactMethods = new(new("email", "Email"), new("phone", "Phone"));

    public static readonly Terms MeetingFormats = new(new("in-person", "In person"), new("online", "Online (video call)"), new("phone", "By phone"));
}
