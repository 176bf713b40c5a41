using System.Text.Json;
using Harbour.Cases.Casework;
using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Cases.SubjectAccess;

// /cases/subject-access, for admins (who answer for the data-protection officer): a subject access request's search by email
// address or name, its findings to review on screen (printable), with what may be others' information flagged, and the same
// as a JSON download. The search is posted, never put in the address, so that no log or trace holds who was asked about.
[Authorize(Policy = StaffPolicies.Administration)]
public sealed class SubjectAccessPageModel(CasesDbContext db, Sealer sealer, TimeProvider clock) : PageModel
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Name { get; set; }
    public SubjectAccessExport? Found { get; private set; }
    public FieldProblem? Problem { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (SubjectAccessSearch.Problem(new(Email, Name)) is { } problem)
        {
            (Problem, Response.StatusCode) = (problem, StatusCodes.Status400BadRequest);
            return Page();
        }
        Found = await db.SubjectAccessAsync(new(Email, Name), User, sealer, clock, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostJsonAsync(CancellationToken ct)
    {
        if (SubjectAccessSearch.Problem(new(Email, Name)) is { } problem)
        {
            (Problem, Response.StatusCode) = (problem, StatusCodes.Status400BadRequest);
            return Page();
        }
        var found = await db.SubjectAccessAsync(new(Email, Name), User, sealer, clock, ct);
        return File(JsonSerializer.SerializeToUtf8Bytes(found, Json), "application/json",
            $"harbour-subject-access-{clock.GetUtcNow().InUk():yyyy-MM-dd}.json");
    }
}
