using System.Text.RegularExpressions;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Outbox;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Notifications.SubjectAccess;

/// <summary>What notifications holds about one person, for a subject access request (UK GDPR Article 15): the delivery log's lines
/// sent to their address (At: UTC; Purpose: an EmailPurposes code; never a body), the lines and department alerts about the
/// cases cases found for them (by reference, <c>HR-yyyy-nnnnnn</c>). An email to a reporter is logged as to "reporter" with no
/// reference, so it cannot be told apart from another reporter's and is not personal data here.</summary>
public sealed record NotificationsHeld(IReadOnlyList<HeldEmail> Emails, IReadOnlyList<HeldAlert> Alerts);

/// <summary>One line of the delivery log: when (UTC), what for, to whom, its subject, and whether it went.</summary>
public sealed record HeldEmail(DateTimeOffset At, string Purpose, string Recipient, string Subject, bool Sent);

/// <summary>A department alert about one of the cases: which case, which department at which address, the subject, when it went
/// and when the department acknowledged it (UTC).</summary>
public sealed record HeldAlert(string Reference, string Department, string Recipient, string Subject, DateTimeOffset SentAt, DateTimeOffset? AcknowledgedAt);

// /notifications/subject-access, for admins: the part of a subject access request that notifications holds, searched by the
// person's email address and the references of the cases /cases/subject-access found for them (its results link here with
// those references). Shown as a page and exported as JSON. Each search goes onto the audit trail in cases (SubjectAccessSearched,
// through the outbox) without what was searched for.
[Authorize(Policy = StaffPolicies.Administration)]
public sealed partial class SubjectAccessPageModel(NotificationsDbContext db, TimeProvider clock, ILogger<SubjectAccessPageModel> log) : PageModel
{
    public const int MostReferences = 200;

    [BindProperty(SupportsGet = true)] public string? References { get; set; }
    [BindProperty] public string? Email { get; set; }
    public NotificationsHeld? Found { get; private set; }
    public (string Field, string Message)? Problem { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await SearchAsync(ct) is not { } found)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Found = found;
        return Page();
    }

    public async Task<IActionResult> OnPostJsonAsync(CancellationToken ct) =>
        await SearchAsync(ct) is { } found
            ? new FileContentResult(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(found, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web) { WriteIndented = true }),
                "application/json") { FileDownloadName = "subject-access-notifications.json" }
            : new BadRequestObjectResult(new ValidationProblemDetails(new Dictionary<string, string[]> { [Problem!.Value.Field] = [Problem.Value.Message] }));

    async Task<NotificationsHeld?> SearchAsync(CancellationToken ct)
    {
        var email = string.IsNullOrWhiteSpace(Email) ? null : Email.Trim();
        var references = (References ?? "").Split([',', '\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        if (email is null && references.Count == 0) Problem = ("email", "Give the person's email address, the references of their cases, or both.");
        else if (references.FirstOrDefault(r => !Reference().IsMatch(r)) is { } wrong) Problem = ("references", $"\"{wrong}\" is not a case reference (HR-2026-000123).");
        else if (references.Count > MostReferences) Problem = ("references", $"Give at most {MostReferences} references at a time.");
        if (Problem is not null) return null;

        var alerts = await db.DepartmentAlerts.AsNoTracking().Where(a => references.Contains(a.Reference)).OrderBy(a => a.SentAt)
            .Select(a => new HeldAlert(a.Reference, a.Department, a.Recipient, a.Subject, a.SentAt, a.AcknowledgedAt)).ToListAsync(ct);
        var alertKeys = (await db.DepartmentAlerts.AsNoTracking().Where(a => references.Contains(a.Reference)).Select(a => a.AlertId).ToListAsync(ct))
            .SelectMany(id => new[] { $"department-alert/{id}", $"department-alert-reminder/{id}" }).ToList();
        var normalised = email?.ToUpperInvariant();
        bool About(string recipient, string subject, string key) =>
            (normalised is not null && recipient.ToUpperInvariant() == normalised) || alertKeys.Contains(key) || references.Any(subject.Contains);
        // Lines are few enough to read whole for the recipient's case-insensitive match; the database narrows by what it can.
        var sent = await db.Deliveries.AsNoTracking()
            .Where(d => d.Recipient.ToUpper() == normalised || alertKeys.Contains(d.Key) || references.Any(r => d.Subject.Contains(r)))
            .Select(d => new { d.SentAt, d.Purpose, d.Recipient, d.Subject, d.Key }).ToListAsync(ct);
        var failed = await db.DeliveryFailures.AsNoTracking()
            .Where(f => !db.Deliveries.Any(d => d.Key == f.Key)
                && (f.Recipient.ToUpper() == normalised || alertKeys.Contains(f.Key) || references.Any(r => f.Subject.Contains(r))))
            .Select(f => new { f.At, f.Purpose, f.Recipient, f.Subject, f.Key }).ToListAsync(ct);
        var emails = sent.Where(d => About(d.Recipient, d.Subject, d.Key)).Select(d => new HeldEmail(d.SentAt, d.Purpose, d.Recipient, d.Subject, true))
            .Concat(failed.Where(f => About(f.Recipient, f.Subject, f.Key)).DistinctBy(f => f.Key).Select(f => new HeldEmail(f.At, f.Purpose, f.Recipient, f.Subject, false)))
            .OrderBy(e => e.At).ToList();
        log.LogInformation("Subject access searched by {Actor}: {Emails} emails and {Alerts} alerts found", User.FindFirst("sub")?.Value, emails.Count, alerts.Count);
        db.Outbox.Add(OutboxMessage.For(new SubjectAccessSearched(Guid.CreateVersion7(), User.FindFirst("sub")?.Value ?? "", User.FindFirst("name")?.Value ?? "",
            email is not null, references.Count, emails.Count, alerts.Count, clock.GetUtcNow()), clock));
        await db.SaveChangesAsync(ct);
        return new(emails, alerts);
    }

    [GeneratedRegex(@"^HR-\d{4}-\d{6}$")]
    private static partial Regex Reference();
}
