namespace Harbour.Contracts;

// Whom a guidance page is written for (GuidancePage.Audience).
public static class GuidanceAudiences
{
    public const string Students = "students", Staff = "staff", Everyone = "everyone";
    public static readonly string[] All = [Students, Staff, Everyone];
}
