namespace Harbour.Contracts;

// Who the reporter is (ReportSubmitted.ReporterRole; SupportService.Serves).
public static class ReporterRoles
{
    public const string Student = "student", Staff = "staff", Visitor = "visitor";
    public static readonly Terms Terms = new(
        new(Student, "Student"), new(Staff, "Member of staff"), new(Visitor, "Visitor or member of the public"));
}
