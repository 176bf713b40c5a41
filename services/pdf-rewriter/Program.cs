using Harbour.PdfRewriter;

// Reads one PDF on standard input and writes it again on standard output, without what identifies its author.
// Exit codes: 0 written; 2 refused, with the reason for the reporter on standard error; 3 unreadable or unwritable.
using var input = new MemoryStream();
await Console.OpenStandardInput().CopyToAsync(input);
try
{
    var written = Rewriting.Rewrite(input.ToArray());
    await using var output = Console.OpenStandardOutput();
    await output.WriteAsync(written);
    return 0;
}
catch (RefusedException refused)
{
    await Console.Error.WriteAsync(refused.Message);
    return 2;
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    await Console.Error.WriteAsync(e.GetType().Name);
    return 3;
}
