namespace Harbour.Contracts;

// Whom a guidance page is written for (GuidancePage.Audience).
public static class GuidanceAudiences
{
    public const string Students = "students", Staff = "staff", Everyone = "everyone";
    public static readonly Terms Terms = new(new(Students, "Students"), new(Staff, "Staff"), new(Everyone, "Everyone"));
}
