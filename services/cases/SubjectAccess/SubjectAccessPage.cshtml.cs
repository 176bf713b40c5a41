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
[Authorize(Policy = Staff.StepUp.Policy)]
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
        if (await SearchAsync(ct) is { } found) Found = found;
        return Page();
    }

    public async Task<IActionResult> OnPostJsonAsync(CancellationToken ct) =>
        await SearchAsync(ct) is { } found
            ? File(JsonSerializer.SerializeToUtf8Bytes(found, Json), "application/json", $"harbour-subject-access-{clock.GetUtcNow().InUk():yyyy-MM-dd}.json")
            : Page();

    // The findings, or null with the problem beside its field (a 400).
    async Task<SubjectAccessExport?> SearchAsync(CancellationToken ct)
    {
        Problem = SubjectAccessSearch.Problem(new(Email, Name));
        if (Problem is null)
            try
            {
                return await db.SubjectAccessAsync(new(Email, Name), User, sealer, clock, ct);
            }
            catch (SubjectAccessTooWide tooWide)
            {
                Problem = new("name", tooWide.Message);
            }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return null;
    }
}
