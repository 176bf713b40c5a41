namespace Harbour.Contracts;

// Someone a case manager may have to inform: security, a faculty, the Students' Union, HR, legal...
public sealed record Department
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string Email { get; init; } = "";
    public string? AlertTemplate { get; init; }
}
