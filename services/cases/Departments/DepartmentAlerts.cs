using System.Security.Claims;
using Harbour.Cases.Audit;
using Harbour.Cases.Casework;
using Harbour.Cases.Legal;
using Harbour.Cases.Profile;
using Harbour.Contracts;
using Harbour.Profile;
using Harbour.ServiceDefaults.Outbox;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Departments;

// Informing a department from a case: the draft from its template, the exact email to check, and the sending (once per alert
// id, however often the form is sent). The answers (delivered, failed, acknowledged) come back through DepartmentAlertAnswers.
public static class DepartmentAlerts
{
    sealed record Prepared(Case Found, Department Department, InstitutionProfile Profile, ReportDetails Details, AlertPreview Preview,
        DateOnly AcknowledgeBy, bool IdentityShared, string Purpose);

    /// <summary>The departments of the current institution profile.</summary>
    public static async Task<IReadOnlyList<Department>> DepartmentsAsync(this CasesDbContext db, CancellationToken ct) =>
        ((await db.CurrentProfileAsync(ct))?.Profile ?? DefaultProfile.Value).Departments;

    // The department's template filled in from the case: where the case manager starts. Reading it is a look at the case.
    public static async Task<(bool Found, string? Text)> DraftAsync(this CasesDbContext db, string reference, string? departmentId, string? purpose,
        ClaimsPrincipal user, Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return (false, null);
        if ((await db.DepartmentsAsync(ct)).FirstOrDefault(d => d.Id == departmentId) is not { } department) return (true, null);
        db.AuditLog.Add(AuditEntry.By(user, "case.alert-drafted", clock, found.Id, department.Id));
        await db.SaveChangesAsync(ct);
        // The case's place and categories as the profile it was opened under names them.
        return (true, AlertDraft.Text(department, AlertPurposes.Terms.Has(purpose) ? purpose! : AlertPurposes.Inform, found.ToSummary(),
            sealer.Open<ReportDetails>(found.SealedDetails), await db.ProfileOfAsync(found, ct)));
    }

    public static async Task<(CaseWorkResult Result, AlertPreview? Preview)> PreviewAlertAsync(this CasesDbContext db, string reference,
        InformRequest request, ClaimsPrincipal user, Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        var (result, prepared) = await db.PrepareAsync(reference, request, user, sealer, clock, ct);
        if (prepared is not null)
        {
            db.AuditLog.Add(AuditEntry.By(user, "case.alert-previewed", clock, prepared.Found.Id, prepared.Department.Id));
            await db.SaveChangesAsync(ct);
        }
        return (result, prepared?.Preview);
    }

    public static async Task<CaseWorkResult> InformAsync(this CasesDbContext db, string reference, InformRequest request, ClaimsPrincipal user,
        Sealer sealer, Sealer mail, TimeProvider clock, CancellationToken ct)
    {
        var (result, prepared) = await db.PrepareAsync(reference, request, user, sealer, clock, ct);
        if (prepared is null) return result;
        var (found, department, preview) = (prepared.Found, prepared.Department, prepared.Preview);
        if (request.AlertId is { } sent && await db.Alerts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == sent, ct) is { } earlier)
        {
            // The same alert sent again (a double click, a retried request) was sent already; anything else under its id
            // (the form changed after it was sent, and sent again) would be lost without a word: it is refused.
            var same = earlier.CaseId == found.Id && earlier.DepartmentId == department.Id && earlier.Purpose == prepared.Purpose
                && sealer.Open<string>(earlier.SealedBody) == preview.Body;
            return same ? new(true) : new(true, new("alertId", "That alert was sent already. To send another, start again from the case."));
        }
        // What the case manager checked is what goes: an address or a template changed in the profile meanwhile is shown again.
        if (request.Checked is { Length: > 0 } seen && seen != preview.Fingerprint)
            return new(true, new("checked", "The email changed since you checked it (the institution profile was edited meanwhile). Check it again."));
        var actor = AuditEntry.ActorOf(user);
        var alert = new DepartmentAlert
        {
            Id = request.AlertId is { } id && id != Guid.Empty ? id : Guid.CreateVersion7(), CaseId = found.Id, DepartmentId = department.Id, Purpose = prepared.Purpose,
            Department = department.Name, Recipient = department.Email, Subject = preview.Subject, SealedBody = sealer.Seal(preview.Body),
            Urgent = request.Urgent, IdentityShared = prepared.IdentityShared, RequestedBy = actor, RequestedById = user.FindFirstValue("sub")!,
            RequestedAt = clock.GetUtcNow(), AcknowledgeBy = prepared.AcknowledgeBy,
        };
        db.Alerts.Add(alert);
        if (alert.IdentityShared) db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.IdentityConsent, actor, clock, subject: alert.Id.ToString()));
        db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.AlertSent, actor, clock, subject: alert.Id.ToString()));
        // The body may name the reporter, and the link's secret is in it: the outbox row keeps no copy once the broker has it.
        db.Outbox.Add(OutboxMessage.For(new DepartmentAlertRequested(alert.Id, found.Reference, department.Name, department.Email, preview.Subject,
            mail.Seal(preview.Body), request.Urgent, prepared.Profile.Name, mail.Seal(SecretTokens.New()),
            ReplyTo: alert.Purpose == AlertPurposes.LegalAdvice ? await db.Users.Where(u => u.Id == alert.RequestedById).Select(u => u.Email).SingleAsync(ct) : null),
            clock, secret: true));
        db.AuditLog.Add(AuditEntry.By(user, alert.Purpose == AlertPurposes.LegalAdvice ? "case.legal-advice-requested" : "case.department-informed", clock, found.Id,
            department.Id + (alert.IdentityShared ? " (with identity)" : "")));
        await db.SaveChangesAsync(ct);
        return new(true);
    }

    // Who follows up an alert that failed or went unanswered: whoever has the case, else whoever sent it, if they may still work
    // on it (not disabled, not involved, able to see it); null when neither may, and then the timeline alone says it.
    public static async Task<string?> FollowUpOwnerAsync(this CasesDbContext db, Case found, string requestedById, CancellationToken ct)
    {
        var staff = await db.AssignableStaffAsync(found, ct);
        return new[] { found.AssigneeId, requestedById }.FirstOrDefault(id => staff.Any(s => s.Id == id && s.Sees(found)));
    }

    static async Task<(CaseWorkResult, Prepared?)> PrepareAsync(this CasesDbContext db, string reference, InformRequest request, ClaimsPrincipal user,
        Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return (new(false), null);
        if (found.Status == CaseStatuses.Closed) return (new(true, new("departmentId", "The case is closed: reopen it to inform a department.")), null);
        var profile = (await db.CurrentProfileAsync(ct))?.Profile ?? DefaultProfile.Value;
        var purpose = request.Purpose ?? AlertPurposes.Inform;
        if (!AlertPurposes.Terms.Has(purpose)) return (new(true, new("purpose", "Say whether you inform the department or ask for legal advice.")), null);
        // Asking for advice is for those who may read the advice (LegalCompartment).
        if (purpose == AlertPurposes.LegalAdvice && !await db.IsResponsibleForAsync(user, found, ct))
            return (new(true, new("purpose", "Only whoever has the case, its team leads and admins may ask for legal advice.")), null);
        if (profile.Departments.FirstOrDefault(d => d.Id == request.DepartmentId) is not { } department)
            return (new(true, new("departmentId", "Choose the department to inform.")), null);
        if (string.IsNullOrWhiteSpace(request.Text))
            return (new(true, new("text", "Write what the department needs to know and what you ask of them.")), null);
        if (Limits.IsOver(request.Text.Trim(), Limits.Message)) return (new(true, new("text", $"Keep the alert under {Limits.Message:N0} characters.")), null);
        if (Limits.HasHiddenCharacters(request.Text))
            return (new(true, new("text", "The text holds characters that cannot be sent (control characters or direction overrides): type it again.")), null);
        var details = sealer.Open<ReportDetails>(found.SealedDetails);
        if (request.IdentityShared && !AlertDraft.HasIdentity(details))
            return (new(true, new("identityShared", "This report holds no name or contact details to share.")), null);
        var acknowledgeBy = WorkingDays.After(clock.GetUtcNow(), department.AcknowledgeWithin, profile.Closures);
        var subject = AlertDraft.Subject(profile.Name, found.Reference, department.Name, purpose, request.Urgent);
        // Advice answers the person who asked, never the team's shared mailbox.
        var asker = purpose == AlertPurposes.LegalAdvice ? user.FindFirstValue("name") ?? AuditEntry.ActorOf(user) : null;
        var body = AlertDraft.Body(profile.Name, department.Name, request.Text, request.IdentityShared ? details : null, acknowledgeBy, asker);
        return (new(true), new(found, department, profile, details, AlertPreview.Of(department.Name, department.Email, subject, body), acknowledgeBy,
            request.IdentityShared, purpose));
    }
}
