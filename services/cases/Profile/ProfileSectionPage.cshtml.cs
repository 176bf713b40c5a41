using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Harbour.Cases.Audit;
using Harbour.Contracts;
using Harbour.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Harbour.Cases.Profile;

// One editor for every section: each row of the section is a fieldset, each field an input named by its path
// in the profile file (categories[2].name), so that a rule's problem lands beside the field it is about.
[Authorize(Policy = StaffPolicies.Administration)]
public sealed class ProfileSectionPageModel(CasesDbContext db, TimeProvider clock) : PageModel
{
    public ProfileSection Section { get; private set; } = null!;
    public JsonArray Rows { get; private set; } = [];
    public List<ProfileProblem> Problems { get; } = [];
    public int BaseVersion { get; private set; }
    public InstitutionProfile? Preview { get; private set; }

    public async Task<IActionResult> OnGetAsync(string section, CancellationToken ct)
    {
        if (ProfileSections.Find(section) is not { } found) return NotFound();
        Section = found;
        var current = (await db.CurrentProfileAsync(ct))!;
        BaseVersion = current.Version;
        Rows = (JsonArray)Node(current.Profile)[found.Key]!.DeepClone();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string section, int baseVersion, string? summary, bool preview, CancellationToken ct)
    {
        if (ProfileSections.Find(section) is not { } found) return NotFound();
        Section = found;
        Rows = ReadRows(Request.Form);
        var current = (await db.CurrentProfileAsync(ct))!;
        BaseVersion = current.Version;
        if (current.Version != baseVersion)
            Problems.Add(new("", $"{current.ChangedBy} saved version {current.Version} of the profile after you opened this page. Your edits are kept below: check them and save again."));
        if (Problems.Count > 0) return Invalid();

        var node = Node(current.Profile);
        node[found.Key] = Rows.DeepClone();
        var profile = node.Deserialize<InstitutionProfile>(ProfileJson.Options)!;
        if (preview)
        {
            Problems.AddRange(ProfileRules.Validate(profile));
            Preview = profile;
            return Page();
        }
        var change = await db.ChangeProfileAsync(profile, AuditEntry.ActorOf(User),
            string.IsNullOrWhiteSpace(summary) ? $"Edited {found.Title.ToLowerInvariant()}" : summary.Trim(), clock, ct, basedOn: current.Version);
        Problems.AddRange(change.Problems);
        if (Problems.Count > 0) return Invalid();
        return Redirect($"/cases/profile/{found.Key}?saved={change.Saved?.Version ?? current.Version}");
    }

    public string? ProblemFor(string path) => Problems.FirstOrDefault(p => p.Path == path)?.Message;

    public string Name(int row, JsonPropertyInfo field) => $"{Section.Key}[{row}].{field.Name}";

    public static string Id(string name) => name.Replace('[', '-').Replace("]", "").Replace('.', '-');

    public static string Label(JsonPropertyInfo field) =>
        char.ToUpperInvariant(field.Name[0]) + string.Concat(field.Name.Skip(1).Select(c => char.IsUpper(c) ? $" {char.ToLowerInvariant(c)}" : $"{c}"));

    public static bool IsList(JsonPropertyInfo field) => field.PropertyType == typeof(IReadOnlyList<string>);

    public static bool IsLongText(JsonPropertyInfo field) => IsList(field) || field.Name is "markdown" or "alertTemplate" or "description" or "helpsWith";

    public static string ValueOf(JsonNode? row, JsonPropertyInfo field) => row?[field.Name] switch
    {
        JsonArray list => string.Join('\n', list.Select(item => item?.ToString())),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        { } other => other.ToJsonString(),
        null => "",
    };

    IActionResult Invalid()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    static JsonObject Node(InstitutionProfile profile) => JsonSerializer.SerializeToNode(profile, ProfileJson.Options)!.AsObject();

    // Rows as typed, a blank row dropped and a ticked "remove" honoured. A number or date that does not read is
    // kept as typed, with its problem, so nothing the admin typed is lost.
    JsonArray ReadRows(IFormCollection form)
    {
        var rows = new JsonArray();
        var count = int.TryParse(form["rowCount"], out var n) ? Math.Clamp(n, 0, 1000) : 0;
        for (var i = 0; i < count; i++)
        {
            if (form[$"{Section.Key}[{i}].remove"] == "true") continue;
            var row = new JsonObject();
            var filled = false;
            foreach (var field in Section.Fields)
            {
                var raw = form[$"{Section.Key}[{i}].{field.Name}"].ToString().Trim();
                var path = $"{Section.Key}[{rows.Count}].{field.Name}";
                if (field.PropertyType == typeof(bool)) { row[field.Name] = raw == "true"; continue; }
                if (raw.Length == 0) continue;
                filled = true;
                if (IsList(field))
                    row[field.Name] = new JsonArray(raw.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Select(l => (JsonNode)l).ToArray());
                else if (field.PropertyType == typeof(int) && int.TryParse(raw, CultureInfo.InvariantCulture, out var number))
                    row[field.Name] = number;
                else if (field.PropertyType == typeof(DateOnly) && DateOnly.TryParseExact(raw, "yyyy-MM-dd", out _))
                    row[field.Name] = raw;
                else
                {
                    row[field.Name] = raw;
                    if (field.PropertyType == typeof(int)) Problems.Add(new(path, "Enter a whole number."));
                    if (field.PropertyType == typeof(DateOnly)) Problems.Add(new(path, "Enter a date as year-month-day, for example 2026-12-25."));
                }
            }
            if (filled) rows.Add(row);
        }
        return rows;
    }
}
