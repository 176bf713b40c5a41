namespace Harbour.Cases.Casework;

// What a case manager decided about one of the playbook's suggested actions for the case: done, skipped (with a reason,
// sealed) or made into a task. The action is named by its category and its place in that category's playbook, under the
// profile version the case was opened under ("sexual-harassment:0"), so it never moves. One decision per action.
public sealed class ChecklistItem
{
    public Guid CaseId { get; init; }
    public required string Action { get; init; }
    public required string Decision { get; init; }
    public required string By { get; init; }
    public DateTimeOffset At { get; init; }
    public string? SealedReason { get; init; }
    public Guid? TaskId { get; init; }
}

public static class ChecklistDecisions
{
    public const string Done = "done", Skipped = "skipped", Task = "task";
}

// Something to do on a case by a date, by someone: added by hand or from a playbook action. The title is sealed (people
// write names into it).
public sealed class CaseTask
{
    public Guid Id { get; init; }
    public Guid CaseId { get; init; }
    public required string SealedTitle { get; init; }
    public DateOnly DueOn { get; init; }
    public required string OwnerId { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DoneAt { get; private set; }
    public string? DoneBy { get; private set; }

    public bool Finish(string by, TimeProvider clock)
    {
        if (DoneAt is not null) return false;
        (DoneAt, DoneBy) = (clock.GetUtcNow(), by);
        return true;
    }
}
