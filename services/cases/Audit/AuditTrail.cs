using System.Globalization;
using CsvHelper;
using Harbour.Profile;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Audit;

// What the admin's audit page asks for: entries of one case (by reference), one person (any part of their name or id), one
// action, between two UK dates; newest first.
public sealed record AuditFilter(string? Reference, string? Actor, string? Action, DateOnly? From, DateOnly? To);

// One entry as an admin reads it: the UK time, and the case named by its reference.
public sealed record AuditLine(long Id, DateTimeOffset At, string Actor, string Action, string? Reference, string? Detail, string? Screen);

public static class AuditTrail
{
    public const int PageSize = 100;

    public static IQueryable<AuditLine> Lines(this CasesDbContext db, AuditFilter filter)
    {
        var entries = db.AuditLog.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Actor)) entries = entries.Where(a => a.Actor.Contains(filter.Actor.Trim()));
        if (!string.IsNullOrWhiteSpace(filter.Action)) entries = entries.Where(a => a.Action == filter.Action.Trim());
        if (filter.From is { } from) entries = entries.Where(a => a.At >= UkTime.StartOf(from));
        if (filter.To is { } to) entries = entries.Where(a => a.At < UkTime.StartOf(to.AddDays(1)));
        var lines = from a in entries
                    join c in db.Cases on a.CaseId equals c.Id into cases
                    from c in cases.DefaultIfEmpty()
                    select new { a.Id, a.At, a.Actor, a.Action, Reference = c == null ? null : c.Reference, a.Detail, a.Screen };
        if (!string.IsNullOrWhiteSpace(filter.Reference)) lines = lines.Where(l => l.Reference == filter.Reference.Trim().ToUpperInvariant());
        return lines.OrderByDescending(l => l.Id).Select(l => new AuditLine(l.Id, l.At, l.Actor, l.Action, l.Reference, l.Detail, l.Screen));
    }

    // The ids of entries whose link in the chain is broken, in chain order: edited, or following one that was removed or
    // edited. Empty when the whole log is as it was written. Entries committed but not yet chained are chained first.
    public static async Task<List<long>> BrokenLinksAsync(this CasesDbContext db, CancellationToken ct)
    {
        await db.ChainPendingAsync(ct);
        return await db.Database.SqlQuery<long>($"SELECT id AS \"Value\" FROM audit.broken_links()").ToListAsync(ct);
    }

    // Chains the entries committed since the last chaining (AppHost/DatabaseRoles.cs, audit.chain_pending): at most 10,000
    // a call, one chainer at a time. Returns how many it chained. Inside a transaction, the chain stays this caller's to
    // its end.
    public static Task<int> ChainPendingAsync(this CasesDbContext db, CancellationToken ct) =>
        db.Database.SqlQuery<int>($"SELECT audit.chain_pending() AS \"Value\"").SingleAsync(ct);

    // CSV for a spreadsheet: times in UK time; a cell that a spreadsheet would run as a formula (=, +, -, @) is escaped
    // (OWASP CSV injection), since actors and details can hold what a stranger typed at sign-in.
    public static async Task<byte[]> CsvAsync(this IQueryable<AuditLine> lines, CancellationToken ct)
    {
        await using var text = new StringWriter(CultureInfo.InvariantCulture);
        await using (var csv = CsvWriter.Create(text, new CsvWriterOptions { Injection = CsvInjection.Escape, FormatProvider = CultureInfo.InvariantCulture }, true))
        {
            csv.WriteRecord(["id", "time (UK)", "who", "action", "case", "detail", "screen"]);
            await foreach (var line in lines.AsAsyncEnumerable().WithCancellation(ct))
                csv.WriteRecord([line.Id.ToString(CultureInfo.InvariantCulture), line.At.InUk().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    line.Actor, line.Action, line.Reference ?? "", line.Detail ?? "", line.Screen ?? ""]);
        }
        return System.Text.Encoding.UTF8.GetBytes(text.ToString());
    }
}
