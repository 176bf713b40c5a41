using Harbour.Cases.Casework;
using Harbour.Cases.Staff;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Harbour.Cases.Legal;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Departments;

// /cases/{reference}/departments: inform a department. Choose it, start from its template, check the email exactly as it will
// go, send. The alert's id is made when the form is first shown, so the same form sent twice sends one alert.
[Authorize(Policy = StaffPolicies.CaseWork)]
public sealed class InformDepartmentModel(CasesDbContext db, Sealer sealer, [FromKeyedServices(Sealer.Mail)] Sealer mail, TimeProvider clock) : PageModel
{
    public CaseSummary? Summary { get; private set; }
    public IReadOnlyList<Department> Departments { get; private set; } = [];
    // Whether the report holds a name or contact details the reporter could agree to share.
    public bool HasIdentity { get; private set; }
    public InformRequest Form { get; private set; } = new(null, null, null);
    public AlertPreview? Preview { get; private set; }
    public FieldProblem? Problem { get; private set; }
    // The department the alert goes to, once chosen (one of the current profile's).
    public Department? Chosen => Departments.FirstOrDefault(d => d.Id == Form.DepartmentId);
    public bool Closed => Summary?.Status == CaseStatuses.Closed;

    public async Task<IActionResult> OnGetAsync(string reference, string? department, string? purpose, CancellationToken ct)
    {
        if (!await LoadAsync(reference, ct)) return NotFound();
        purpose = purpose == AlertPurposes.LegalAdvice ? purpose : AlertPurposes.Inform;
        // Asking for advice belongs to the legal compartment: anyone outside it finds nothing here.
        if (purpose == AlertPurposes.LegalAdvice
            && !await db.IsResponsibleForAsync(User, (await db.VisibleCases(User).SingleAsync(c => c.Reference == reference, ct)), ct)) return NotFound();
        var (_, text) = await db.DraftAsync(reference, department, purpose, User, sealer, clock, ct);
        Form = new InformRequest(Guid.CreateVersion7(), text is null ? null : department, text, Purpose: purpose);
        return Page();
    }

    public bool ForAdvice => Form.Purpose == AlertPurposes.LegalAdvice;

    public async Task<IActionResult> OnPostPreviewAsync(string reference, Guid? alertId, string? departmentId, string? text, bool urgent, bool identityShared,
        string? purpose, CancellationToken ct)
    {
        Form = new InformRequest(alertId, departmentId, text, urgent, identityShared, Purpose: purpose);
        var (result, preview) = await db.PreviewAlertAsync(reference, Form, User, sealer, clock, ct);
        return await AnswerAsync(reference, result, ct, preview);
    }

    // Back from the preview to the text, as it was typed.
    public async Task<IActionResult> OnPostEditAsync(string reference, Guid? alertId, string? departmentId, string? text, bool urgent, bool identityShared,
        string? purpose, CancellationToken ct)
    {
        Form = new InformRequest(alertId, departmentId, text, urgent, identityShared, Purpose: purpose);
        return await LoadAsync(reference, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostSendAsync(string reference, Guid? alertId, string? departmentId, string? text, bool urgent, bool identityShared,
        string? @checked, string? purpose, CancellationToken ct)
    {
        Form = new InformRequest(alertId, departmentId, text, urgent, identityShared, @checked, purpose);
        var result = await db.InformAsync(reference, Form, User, sealer, mail, clock, ct).AtOnceAsync(db);
        // The email changed since it was checked: show it again as it now is.
        if (result.Problem?.Field == "checked")
        {
            var (_, fresh) = await db.PreviewAlertAsync(reference, Form, User, sealer, clock, ct);
            await LoadAsync(reference, ct);
            (Problem, Preview) = (result.Problem, fresh);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
        if (result is { Found: true, Problem: null })
        {
            TempData["notice"] = $"Sent. The timeline shows when it reaches {(await db.DepartmentsAsync(ct)).FirstOrDefault(d => d.Id == departmentId)?.Name ?? "the department"} and when they acknowledge it.";
            return Redirect($"/cases/{reference}#departments");
        }
        return await AnswerAsync(reference, result, ct);
    }

    async Task<IActionResult> AnswerAsync(string reference, CaseWorkResult result, CancellationToken ct, AlertPreview? preview = null)
    {
        if (!result.Found || !await LoadAsync(reference, ct)) return NotFound();
        (Problem, Preview) = (result.Problem, result.Problem is null ? preview : null);
        if (Problem is not null) Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    async Task<bool> LoadAsync(string reference, CancellationToken ct)
    {
        if (await db.VisibleCases(User).AsNoTracking().SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return false;
        Summary = found.ToSummary();
        HasIdentity = AlertDraft.HasIdentity(sealer.Open<ReportDetails>(found.SealedDetails));
        Departments = await db.DepartmentsAsync(ct);
        return true;
    }
}
