using Harbour.Contracts;
using Harbour.Profile;

namespace Harbour.Cases.Casework;

/// <summary>One of the playbook's suggested actions for a case: its key (category code and place in that category's
/// playbook, e.g. <c>sexual-harassment:0</c>), the category's name and the action's text, under the profile version the
/// case was opened under; and what was decided (done, skipped with its reason, or task), by whom and when.</summary>
public sealed record ChecklistView(string Key, string Category, string Text, string? Decision = null, string? By = null, DateTimeOffset? At = null,
    string? Reason = null, Guid? TaskId = null);

/// <summary>A task on a case: what, by when (a UK date), whose (display name and id), overdue, and when and by whom it was done.</summary>
public sealed record TaskView(Guid Id, string Title, DateOnly DueOn, string OwnerId, string Owner, bool Overdue, DateTimeOffset? DoneAt, string? DoneBy);

public static class CaseChecklistItems
{
    public static List<ChecklistView> For(Case c, InstitutionProfile profile) =>
        c.Categories.SelectMany(category => profile.Playbooks.Where(p => p.Category == category)
                .SelectMany(playbook => playbook.Actions.Select((text, i) => new ChecklistView($"{category}:{i}", profile.CategoryName(category), text))))
            .ToList();
}
