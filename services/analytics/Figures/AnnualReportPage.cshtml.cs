using Harbour.Analytics.Disclosure;
using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NetEscapades.AspNetCore.SecurityHeaders;

namespace Harbour.Analytics.Figures;

// /analytics/annual-report?year=2025: one academic year's figures as an institution could publish them, always rounded and
// suppressed (even for an Admin), with a commentary written from the figures; it prints on A4 and downloads as one HTML file.
[Authorize(Policy = StaffPolicies.Analytics)]
public abstract class AnnualReportModel(Dashboard dashboard, InstitutionProfiles profiles, IConfiguration configuration, TimeProvider clock) : PageModel
{
    public AnnualReport? Report { get; private set; }
    public string? Typed { get; private set; }
    public string? Problem { get; private set; }
    public IReadOnlyList<DateOnly> Years { get; private set; } = [];

    protected async Task<IActionResult> ShowAsync(string? year, CancellationToken ct)
    {
        var today = UkTime.Today(clock);
        var current = FigureFilter.AcademicYearOf(today);
        Years = [.. Enumerable.Range(0, 10).Select(i => current.AddYears(-i))];
        Typed = year;
        // The last year that has ended, until someone chooses.
        var chosen = current.AddYears(-1);
        if (!string.IsNullOrWhiteSpace(year))
        {
            if (int.TryParse(year.Trim(), out var start) && start >= 2000 && start <= current.Year) chosen = new DateOnly(start, 8, 1);
            else
            {
                Problem = $"Choose an academic year by the year it starts in, from 2000 to {current.Year}.";
                return Page();
            }
        }
        var profile = (await profiles.CurrentAsync(ct)).Profile;
        Report = await AnnualReport.ForAsync(dashboard, chosen, today, profile,
            new DisclosureRules(false, configuration["Analytics:SmallCount"] ?? "0"), ct);
        return Page();
    }
}

public sealed class AnnualReportPageModel(Dashboard dashboard, InstitutionProfiles profiles, IConfiguration configuration, TimeProvider clock)
    : AnnualReportModel(dashboard, profiles, configuration, clock)
{
    public Task<IActionResult> OnGetAsync([FromQuery] string? year, CancellationToken ct) => ShowAsync(year, ct);
}

// /analytics/annual-report/download?year=2025: the same report as one HTML file with its own stylesheet, to publish or keep,
// sent as a file (sandboxed, no script, should a browser show it rather than save it).
[SecurityHeadersPolicy(HeaderPolicy.Download)]
public sealed class AnnualReportDownloadModel(Dashboard dashboard, InstitutionProfiles profiles, IConfiguration configuration, TimeProvider clock)
    : AnnualReportModel(dashboard, profiles, configuration, clock)
{
    public async Task<IActionResult> OnGetAsync([FromQuery] string? year, CancellationToken ct)
    {
        var page = await ShowAsync(year, ct);
        if (Report is null) return BadRequest();
        Response.Headers.ContentDisposition =
            $"attachment; filename=\"harbour-annual-report-{FigureFilter.AcademicYearName(Report.Year).Replace('/', '-')}.html\"";
        return page;
    }

    // Nothing is sent to it.
    public IActionResult OnPost() => StatusCode(StatusCodes.Status405MethodNotAllowed);
}
