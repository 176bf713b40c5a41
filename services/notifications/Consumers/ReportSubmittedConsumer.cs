using Harbour.Contracts;
using Harbour.Notifications.Email;
using Harbour.Profile;
using MassTransit;

namespace Harbour.Notifications.Consumers;

// Tells the case-management team a report is waiting: reference, categories, when each step is due and a link.
// Never the description, the place or who reported.
public sealed class ReportSubmittedConsumer(NotificationsDbContext db, InstitutionProfiles profiles, EmailSender email, EmailSettings settings,
    TimeProvider clock, ILogger<ReportSubmittedConsumer> log) : IConsumer<ReportSubmitted>
{
    public async Task Consume(ConsumeContext<ReportSubmitted> context)
    {
        var report = context.Message;
        // Named and planned under the profile version the report was made under, as the reporter's confirmation and the
        // case are: categories as the institution named them, the specialism that should pick the case up, due dates.
        var profile = (await profiles.AtVersionAsync(report.ProfileVersion, context.CancellationToken)).Profile;
        var specialisms = report.Categories.Select(id => profile.Categories.FirstOrDefault(c => c.Id == id)?.Specialism)
            .OfType<string>().Distinct();
        var due = profile.DueDatesFor(report.Kind, report.SubmittedAt).Select(d => $"{ResponseSteps.Label(d.Step)} by {d.Due:dddd d MMMM yyyy}");
        var subject = $"New report {report.Reference} awaiting assignment";
        var body = $"""
            A new report is waiting for a case manager.

            Reference:  {report.Reference}
            Made:       {profile.KindName(report.Kind)}
            Categories: {string.Join(", ", report.Categories.Select(profile.CategoryName))}
            Specialism: {string.Join(", ", specialisms)}
            Received:   {report.SubmittedAt.InUk():d MMMM yyyy HH:mm} UK time
            Due:        {string.Join("; ", due)}

            Open the case: {new Uri(settings.PublicUrl, $"/cases/{report.Reference}")}

            The details of the report are in Harbour only. Please do not forward this email.
            """;

        await db.SendOnceAsync(email, new OutgoingEmail($"report-submitted/{report.ReportId}", settings.TeamAddress, subject, body), clock, log, context.CancellationToken);
    }
}
