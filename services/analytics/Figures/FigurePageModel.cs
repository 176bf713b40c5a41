using Harbour.Analytics.Disclosure;
using Harbour.Contracts;
using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Analytics.Figures;

// What every analytics page does first: for Analysts and Admins only; reads the filters (an Analyst asking for unrounded
// figures is refused, 403); names the problems with a typed period beside its field and shows nothing until they are put right.
[Authorize(Policy = StaffPolicies.Analytics)]
public abstract class FigurePageModel(InstitutionProfiles profiles, IConfiguration configuration, TimeProvider clock) : PageModel
{
    public FigureRequest Asked { get; private set; } = new(null, null, null, null);
    public FigureFilter? Filter { get; private set; }
    public InstitutionProfile Profile { get; private set; } = null!;
    public Dictionary<string, string[]> Problems { get; private set; } = [];
    public string SmallCount => configuration["Analytics:SmallCount"] ?? "0";

    public async Task<IActionResult> OnGetAsync([FromQuery] FigureRequest request, CancellationToken ct)
    {
        if (!Exists) return NotFound();
        Asked = request;
        if (request.RulesFor(User, configuration) is not { } rules) return Forbid();
        Profile = (await profiles.CurrentAsync(ct)).Profile;
        (Filter, Problems) = request.Read(clock);
        if (Filter is not null) await ShowAsync(Filter, rules, ct);
        return Page();
    }

    /// <summary>False when the route names a page that is not there (the same 404 as any unknown address).</summary>
    protected virtual bool Exists => true;

    protected abstract Task ShowAsync(FigureFilter filter, DisclosureRules rules, CancellationToken ct);
}
