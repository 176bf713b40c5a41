namespace Harbour.Cases.Retention;

// One line of the deletion log: a case deleted at the end of its retention period, with no content: its reference, its kind,
// the rule that ended it, and when. Kept for good, so that the institution can show what left and why.
public sealed class Deletion
{
    public Guid Id { get; private init; }
    public required string Reference { get; init; }
    public required string Kind { get; init; }
    public required string Rule { get; init; }
    public DateTimeOffset DeletedAt { get; private init; }

    public static Deletion Of(Casework.Case deleted, string rule, TimeProvider clock) => new()
    {
        Id = Guid.CreateVersion7(), Reference = deleted.Reference, Kind = deleted.Kind, Rule = rule, DeletedAt = clock.GetUtcNow(),
    };
}
