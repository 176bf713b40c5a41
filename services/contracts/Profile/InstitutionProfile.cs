namespace Harbour.Contracts;

// What makes Harbour one institution's: its names for things, its people to tell and its rules. Edited by
// admins in cases, kept as numbered versions, published whole. Every section is a flat list, so that it can
// be edited as rows of a form and exported as one JSON or YAML file.
public sealed record InstitutionProfile
{
    public string Name { get; init; } = "";
    public IReadOnlyList<ReportKindText> Kinds { get; init; } = [];
    public IReadOnlyList<Category> Categories { get; init; } = [];
    public IReadOnlyList<Place> Places { get; init; } = [];
    public IReadOnlyList<Department> Departments { get; init; } = [];
    public IReadOnlyList<SupportService> Support { get; init; } = [];
    public IReadOnlyList<Playbook> Playbooks { get; init; } = [];
    public IReadOnlyList<Deadline> Deadlines { get; init; } = [];
    public IReadOnlyList<Closure> Closures { get; init; } = [];
    public IReadOnlyList<Outcome> Outcomes { get; init; } = [];
    public IReadOnlyList<Retention> Retention { get; init; } = [];
    public IReadOnlyList<GuidancePage> Guidance { get; init; } = [];
}
