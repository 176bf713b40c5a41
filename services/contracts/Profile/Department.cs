namespace Harbour.Contracts;

// Someone a case manager may have to inform: security, a faculty, the Students' Union, HR, legal... AlertTemplate is the
// alert's starting text ({reference}, {location}, {when}, {categories} are filled in from the case); AcknowledgeWithin is
// how many working days the department has to acknowledge an alert before it is reminded and the case manager gets a task.
public sealed record Department
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string Email { get; init; } = "";
    public string? AlertTemplate { get; init; }
    public int AcknowledgeWithin { get; init; } = 2;
}
