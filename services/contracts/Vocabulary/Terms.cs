namespace Harbour.Contracts;

// One code and what people read for it. Messages and databases carry Code; pages and emails show Label.
public sealed record Term(string Code, string Label);

// A closed list of codes, in the order people are offered them. Label of a code no longer listed is the code itself, so an
// old record still reads.
public sealed class Terms(params Term[] terms) : IReadOnlyList<Term>
{
    public bool Has(string? code) => terms.Any(t => t.Code == code);
    public string Label(string? code) => terms.FirstOrDefault(t => t.Code == code)?.Label ?? code ?? "";
    public IEnumerable<string> Codes => terms.Select(t => t.Code);

    // "a, b or c": codes as a sentence names them.
    public static string Listed(IEnumerable<string> codes, string conjunction = "or")
    {
        var all = codes.ToList();
        return all.Count < 2 ? string.Concat(all) : $"{string.Join(", ", all[..^1])} {conjunction} {all[^1]}";
    }

    public Term this[int index] => terms[index];
    public int Count => terms.Length;
    public IEnumerator<Term> GetEnumerator() => ((IEnumerable<Term>)terms).GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => terms.GetEnumerator();
}
