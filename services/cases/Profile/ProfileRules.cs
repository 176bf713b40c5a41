using System.Net.Mail;
using System.Text.RegularExpressions;
using Harbour.Contracts;
using Harbour.Profile;

namespace Harbour.Cases.Profile;

// Everything that must hold before a profile is published. Each problem names the field by its path in the
// file (departments[2].email), which is also the name of that field in the section editor.
public static partial class ProfileRules
{

    public static List<ProfileProblem> Validate(InstitutionProfile profile)
    {
        var problems = new List<ProfileProblem>();
        void Fail(string path, string message) => problems.Add(new(path, message));

        if (string.IsNullOrWhiteSpace(profile.Name)) Fail("name", "Enter the institution's name.");

        Rows(profile.Kinds, "kinds", (kind, at) =>
        {
            if (!ReportKinds.All.Contains(kind.Id)) Fail(at("id"), $"The three kinds are {Terms.Listed(ReportKinds.All, "and")}.");
            Named(kind.Name, at("name"));
        });
        foreach (var missing in ReportKinds.All.Except(profile.Kinds.Select(k => k.Id)))
            Fail("kinds", $"Describe the \"{missing}\" way to report.");
        Unique(profile.Kinds, k => k.Id, "kinds", "id");

        if (profile.Categories.Count == 0) Fail("categories", "Add at least one category.");
        Rows(profile.Categories, "categories", (category, at) =>
        {
            Slug(category.Id, at("id"));
            Named(category.Name, at("name"));
        });
        Unique(profile.Categories, c => c.Id, "categories", "id");
        Unique(profile.Categories, c => c.Name.Trim().ToLowerInvariant(), "categories", "name");
        var categories = profile.Categories.Select(c => c.Id).ToHashSet();

        if (profile.Places.Count == 0) Fail("places", "Add at least one place.");
        Rows(profile.Places, "places", (place, at) =>
        {
            if (!PlaceId().IsMatch(place.Id)) Fail(at("id"), "Use lower-case letters, digits, dashes and one slash, like city-campus/library.");
            Named(place.Name, at("name"));
        });
        Unique(profile.Places, p => p.Id, "places", "id");

        Rows(profile.Departments, "departments", (department, at) =>
        {
            Slug(department.Id, at("id"));
            Named(department.Name, at("name"));
            if (!Limits.IsEmail(department.Email)) Fail(at("email"), "Enter an email address like security@university.ac.uk.");
            if (department.AcknowledgeWithin is < 1 or > 30) Fail(at("acknowledgeWithin"), "Give 1 to 30 working days to acknowledge an alert.");
        });
        Unique(profile.Departments, d => d.Id, "departments", "id");

        Rows(profile.Support, "support", (service, at) =>
        {
            Slug(service.Id, at("id"));
            Named(service.Name, at("name"));
            if (string.IsNullOrWhiteSpace(service.HelpsWith)) Fail(at("helpsWith"), "Say what this service helps with.");
            if (service.Serves.Count == 0 || service.Serves.Any(s => !ReporterRoles.Terms.Has(s)))
                Fail(at("serves"), $"Choose whom it serves: {string.Join(", ", ReporterRoles.Terms.Codes)} (one per line).");
            if (service.Phone is null && service.Email is null && service.Website is null)
                Fail(at("phone"), "Give at least one way to reach this service: a phone number, an email address or a website.");
            if (service.Email is not null && !Limits.IsEmail(service.Email)) Fail(at("email"), "Enter an email address like help@university.ac.uk.");
            if (service.Website is not null && !(Uri.TryCreate(service.Website, UriKind.Absolute, out var site) && site.Scheme is "https" or "http"))
                Fail(at("website"), "Enter a web address starting with https://.");
            if (service.Categories.FirstOrDefault(c => !categories.Contains(c)) is { } unknown)
                Fail(at("categories"), $"There is no category \"{unknown}\".");
        });
        Unique(profile.Support, s => s.Id, "support", "id");

        Rows(profile.Playbooks, "playbooks", (playbook, at) =>
        {
            if (!categories.Contains(playbook.Category)) Fail(at("category"), $"There is no category \"{playbook.Category}\".");
            if (playbook.Actions.Count == 0 || playbook.Actions.Any(string.IsNullOrWhiteSpace))
                Fail(at("actions"), "List at least one action, one per line.");
        });
        Unique(profile.Playbooks, p => p.Category, "playbooks", "category");

        Rows(profile.Deadlines, "deadlines", (deadline, at) =>
        {
            Slug(deadline.Step, at("step"));
            if (deadline.Kind is not null && !ReportKinds.All.Contains(deadline.Kind)) Fail(at("kind"), $"Leave empty for every kind, or enter {Terms.Listed(ReportKinds.All)}.");
            if (deadline.WorkingDays is < 1 or > 60) Fail(at("workingDays"), "Enter a number of working days from 1 to 60.");
        });
        Unique(profile.Deadlines, d => $"{d.Step}/{d.Kind}", "deadlines", "step");

        Rows(profile.Closures, "closures", (closure, at) =>
        {
            Named(closure.Name, at("name"));
            if (closure.To < closure.From) Fail(at("to"), "The last day cannot be before the first.");
        });
        var closures = profile.Closures.Select((c, i) => (c, i)).OrderBy(x => x.c.From).ToList();
        for (var n = 1; n < closures.Count; n++)
            if (closures[n].c.From <= closures[n - 1].c.To)
                Fail($"closures[{closures[n].i}].from", $"This overlaps with \"{closures[n - 1].c.Name}\" ({closures[n - 1].c.From:d MMM yyyy} to {closures[n - 1].c.To:d MMM yyyy}).");

        Rows(profile.Outcomes, "outcomes", (outcome, at) =>
        {
            Slug(outcome.Id, at("id"));
            Named(outcome.Name, at("name"));
        });
        Unique(profile.Outcomes, o => o.Id, "outcomes", "id");

        Rows(profile.Retention, "retention", (rule, at) =>
        {
            if (!ReportKinds.All.Contains(rule.Kind)) Fail(at("kind"), $"Enter {Terms.Listed(ReportKinds.All)}.");
            if (rule.Months is < 1 or > 240) Fail(at("months"), "Enter a number of months from 1 to 240.");
            if (rule.Outcome is null) return;
            if (!profile.Outcomes.Any(o => o.Id == rule.Outcome)) Fail(at("outcome"), $"Enter {Terms.Listed(profile.Outcomes.Select(o => o.Id).ToList())}, or leave it empty for every outcome.");
            if (!rule.AfterClosure) Fail(at("afterClosure"), "A rule for an outcome counts from closure: tick 'after closure'.");
        });
        Unique(profile.Retention, r => $"{r.Kind} {r.Outcome}", "retention", "kind");

        Rows(profile.Guidance, "guidance", (page, at) =>
        {
            Slug(page.Slug, at("slug"));
            Named(page.Title, at("title"));
            if (!GuidanceAudiences.Terms.Has(page.Audience)) Fail(at("audience"), $"Enter {Terms.Listed(GuidanceAudiences.Terms.Codes)}.");
            if (string.IsNullOrWhiteSpace(page.Markdown)) Fail(at("markdown"), "Write the page.");
            else if (page.Markdown.Length > 50_000) Fail(at("markdown"), "Keep a page under 50,000 characters.");
        });
        Unique(profile.Guidance, g => g.Slug, "guidance", "slug");
        return problems;

        void Named(string? name, string path)
        {
            if (string.IsNullOrWhiteSpace(name)) Fail(path, "Enter a name.");
            else if (name.Length > 200) Fail(path, "Keep this under 200 characters.");
        }

        void Slug(string? id, string path)
        {
            if (string.IsNullOrEmpty(id) || !SlugPattern().IsMatch(id))
                Fail(path, "Use lower-case letters, digits and dashes, like sexual-harassment.");
        }

        void Unique<T>(IReadOnlyList<T> rows, Func<T, string> key, string section, string field)
        {
            var seen = new HashSet<string>();
            for (var i = 0; i < rows.Count; i++)
                if (!seen.Add(key(rows[i]))) Fail($"{section}[{i}].{field}", "This appears twice: each entry must be different.");
        }
    }

    static void Rows<T>(IReadOnlyList<T> rows, string section, Action<T, Func<string, string>> check)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            var index = i;
            check(rows[i], field => $"{section}[{index}].{field}");
        }
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")] private static partial Regex SlugPattern();
    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*(/[a-z0-9]+(-[a-z0-9]+)*)?$")] private static partial Regex PlaceId();
}
