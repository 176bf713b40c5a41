using System.Text.Json;
using System.Text.Json.Nodes;
using Harbour.Cases.Audit;
using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Profile;

[Authorize(Policy = StaffPolicies.Administration)]
public sealed class ProfileOverviewModel(CasesDbContext db, TimeProvider clock) : PageModel
{
    const long MaxFileBytes = 1_000_000;

    public ProfileVersion Current { get; private set; } = null!;
    public JsonObject Sections { get; private set; } = [];
    public List<ProfileVersionSummary> History { get; private set; } = [];
    public List<ProfileProblem> Problems { get; } = [];
    public string? Notice { get; private set; }
    // What admins must put right before it matters: closures running out within six months (WorkingDays.ClosuresRunningOut),
    // and a profile without its own privacy notice (UK GDPR Article 13), for which the public site shows Harbour's example.
    public IEnumerable<string> Warnings => new[]
    {
        WorkingDays.ClosuresRunningOut(Current.Profile.Closures, UkTime.Today(clock)),
        Current.Profile.Guidance.Any(g => g.Slug == GuidanceText.PrivacyNotice) ? null
            : "The profile has no privacy notice (a guidance page named \"privacy\"): the public site shows Harbour's example, "
                + "with an example address for the Data Protection Officer. Add your own.",
    }.OfType<string>();

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostNameAsync(string? name, CancellationToken ct)
    {
        var current = (await db.CurrentProfileAsync(ct))!;
        var change = await db.ChangeProfileAsync(current.Profile with { Name = name?.Trim() ?? "" }, AuditEntry.ActorOf(User),
            "Renamed the institution", clock, ct, basedOn: current.Version);
        return await AnswerAsync(change, ct);
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0) Problems.Add(new("file", "Choose a JSON or YAML file to import."));
        else if (file.Length > MaxFileBytes) Problems.Add(new("file", "A profile file must be under 1 MB."));
        if (Problems.Count > 0) return await AnswerAsync(new(null, []), ct);

        using var reader = new StreamReader(file!.OpenReadStream());
        var change = await db.ImportProfileAsync(await reader.ReadToEndAsync(ct),
            ProfileApi.IsYaml(file.FileName) || ProfileApi.IsYaml(file.ContentType), AuditEntry.ActorOf(User), clock, ct);
        return await AnswerAsync(change, ct);
    }

    async Task<IActionResult> AnswerAsync(ProfileChange change, CancellationToken ct)
    {
        Problems.AddRange(change.Problems);
        if (Problems.Count > 0) Response.StatusCode = StatusCodes.Status400BadRequest;
        else Notice = change.Saved is { } saved ? $"Saved as version {saved.Version}." : "Nothing changed: the profile was already like this.";
        await LoadAsync(ct);
        return Page();
    }

    async Task LoadAsync(CancellationToken ct)
    {
        Current = (await db.CurrentProfileAsync(ct))!;
        Sections = JsonSerializer.SerializeToNode(Current.Profile, ProfileJson.Options)!.AsObject();
        History = await db.ProfileVersions.OrderByDescending(v => v.Version).Take(50)
            .Select(v => new ProfileVersionSummary(v.Version, v.ChangedBy, v.ChangedAt, v.Summary)).ToListAsync(ct);
    }
}
