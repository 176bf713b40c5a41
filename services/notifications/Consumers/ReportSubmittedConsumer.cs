using Harbour.Contracts;
using Harbour.Notifications.Email;
using Harbour.Profile;
using Harbour.Notifications.Templates;
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
        var mail = await db.EmailAsync("report-submitted", $"report-submitted/{report.ReportId}", settings.TeamAddress, new Dictionary<string, string>
        {
            ["reference"] = report.Reference, ["kind"] = profile.KindName(report.Kind),
            ["categories"] = string.Join(", ", report.Categories.Select(profile.CategoryName)), ["specialism"] = string.Join(", ", specialisms),
            ["received"] = $"{report.SubmittedAt.InUk():d MMMM yyyy HH:mm}", ["due"] = string.Join("; ", due),
            ["link"] = new Uri(settings.PublicUrl, $"/cases/{report.Reference}").ToString(),
        }, context.CancellationToken);
        await db.SendOnceAsync(email, mail, clock, log, context.CancellationToken);
    }
}
