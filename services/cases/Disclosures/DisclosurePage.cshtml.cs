using System.Text.Json;
using Harbour.Cases.Casework;
using Harbour.Cases.Profile;
using Harbour.Cases.Staff;
using Harbour.Contracts;
using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Cases.Disclosures;

// /cases/disclosures: record a report someone made by phone, by email or in person. /cases/disclosures/{id}: where it stands,
// for the case manager who recorded it: waiting for intake (the page refreshes itself), kept (the reference, and once the receipt
// to pass on), or refused (the form again, as typed, each problem beside its field).
[Authorize(Policy = StaffPolicies.CaseWork)]
public sealed class DisclosurePageModel(CasesDbContext db, Sealer sealer, TimeProvider clock) : PageModel
{
    // The report API's fields the form sends, besides categories.
    static readonly string[] Fields = ["kind", "description", "location", "occurredOn", "occurredWhen", "reporterRole", "contactName", "contactEmail",
        "contactPhone", "preferredContact", "safeToLeaveMessage", "consentToContact", "meetingFormat", "meetingTimes"];

    public DisclosureView? View { get; private set; }
    public InstitutionProfile Profile { get; private set; } = DefaultProfile.Value;
    public FieldProblem? Problem { get; private set; }
    public Dictionary<string, string[]> Problems { get; private set; } = [];
    public Dictionary<string, object?> Typed { get; private set; } = [];
    public string? Channel { get; private set; }
    public bool StillWaiting { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        Profile = (await db.CurrentProfileAsync(ct))?.Profile ?? DefaultProfile.Value;
        if (id is null) return Page();
        if ((View = await db.ViewDisclosureAsync(id.Value, User, sealer, clock, ct)) is null) return NotFound();
        // The receipt may be on this page: no copy in any cache.
        Response.Headers.CacheControl = "no-store";
        // Refreshed while an answer may soon come; after two minutes it says so and stops (an unattended screen stays idle).
        StillWaiting = View.Status == DisclosureStatuses.Pending && clock.GetUtcNow() - View.RecordedAt < TimeSpan.FromMinutes(2);
        if (StillWaiting) Response.Headers["Refresh"] = "3";
        (Problems, Typed, Channel) = (View.Problems.ToDictionary(), View.Typed.ToDictionary(), View.Channel);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? disclosureId, string? channel, CancellationToken ct)
    {
        var report = Fields.Where(f => !string.IsNullOrEmpty(Request.Form[f])).ToDictionary(f => f, f => (object?)Request.Form[f].ToString());
        report["categories"] = Request.Form["categories"].OfType<string>().ToList();
        var (id, problem) = await db.RecordDisclosureAsync(new DisclosureRequest(disclosureId, channel, JsonSerializer.SerializeToElement(report)), User, sealer,
            clock, ct);
        if (id is { } recorded) return Redirect($"/cases/disclosures/{recorded}");
        Profile = (await db.CurrentProfileAsync(ct))?.Profile ?? DefaultProfile.Value;
        (Problem, Typed, Channel) = (problem, report, channel);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    public string? Value(string field) => field == "channel" ? Channel : Typed.GetValueOrDefault(field) switch
    {
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
        _ => null,
    };

    public bool Chosen(string category) => Typed.GetValueOrDefault("categories") switch
    {
        IEnumerable<string> list => list.Contains(category),
        JsonElement { ValueKind: JsonValueKind.Array } element => element.EnumerateArray().Any(e => e.GetString() == category),
        _ => false,
    };

    public string? ProblemFor(string field) => Problems.TryGetValue(field, out var messages) ? string.Join(" ", messages)
        : Problem?.Field == field ? Problem.Message : null;
}
